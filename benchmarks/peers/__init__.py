"""The fire-safety pack's scoring written for peer engines, to compare like with like.

``zen_fire`` is a GoRules zen-engine decision graph (JDM), ``durable_fire`` a durable_rules ruleset
fed one entity at a time. Both transcribe ``rules/fire_safety.yaml`` by hand, as a user of each
engine would, including its treatment of missing data; ``fire_inputs`` prepares entities for them
and restates the pack's level precedence. ``tests/benchmarks/test_peers_agree.py`` holds all three
to the same levels.
"""
