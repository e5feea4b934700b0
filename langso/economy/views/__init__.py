"""Pages of the economy app: parse, check permission, call one action or query, render."""
