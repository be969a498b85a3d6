"""`python -m classifier …` is `tlc …`."""
from .cli import main

main()
