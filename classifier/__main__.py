"""`python -m classifier …` is `tlc …`."""
from classifier.surfaces.cli import main

main()
