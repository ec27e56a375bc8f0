"""``python -m explainer``."""

from .cli import main

main()
