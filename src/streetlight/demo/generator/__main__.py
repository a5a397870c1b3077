"""`python -m streetlight.demo.generator`: see `cli.main`."""

from .cli import main

raise SystemExit(main())
