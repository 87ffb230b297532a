"""The workbench: server-rendered pages over the same service (overview, entity, pack, diff)."""
