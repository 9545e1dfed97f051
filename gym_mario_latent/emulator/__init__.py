"""Our own NES core (C11, built as the optional extension ``_nes``) and the choice between it and nes-py."""
