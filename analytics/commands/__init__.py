"""One module per subcommand of `python -m analytics`; each defines register(subparsers, db_parent)."""
