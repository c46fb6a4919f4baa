"""Register pages: sectors and lint, the chain, units, people and portfolios, bulk import and export."""
