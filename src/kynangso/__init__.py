"""Kỹ Năng Số: curriculum, simulations and certification for Vietnam's community digital technology teams."""

__version__ = "0.1.0"
