"""Django interface layer: the only part of carbonpeak that imports django."""
