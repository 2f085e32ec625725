"""`python -m nerkit` runs the command line."""

from nerkit.commands import main

if __name__ == "__main__":
    main()
