"""The expression language: parse -> check -> interpret (reference) | lower to numpy (batch)."""
