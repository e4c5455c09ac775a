#!/usr/bin/env python
from duban.__main__ import main

if __name__ == "__main__":
    main()
