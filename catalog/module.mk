# catalog/ -- the contract: load, validate, look up, lint, import Markdown
CATALOG_SRCS := catalog/catalog.c catalog/import.c catalog/contract.c
