"""`python -m rag` is the `policyqa` command."""
import sys

from .cli import main

sys.exit(main())
