"""Analysis: rules as data, the rule engine, fingerprints and suppressions."""
