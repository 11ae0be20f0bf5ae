import sys

from kgen_pygame.broker.cli import main

sys.exit(main())
