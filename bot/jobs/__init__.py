"""Jobs: the functions that sequence source → analyze → findings, shared by the CLI and workers."""
