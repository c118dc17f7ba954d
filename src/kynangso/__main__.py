import sys

from kynangso.cli import main

sys.exit(main())
