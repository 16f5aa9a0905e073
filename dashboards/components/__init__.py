"""Pure building blocks of the pages: frame, figures, network pictures and widgets; no I/O."""
