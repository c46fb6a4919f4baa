"""Yigang (一岗双责): a township's safety-production responsibility regulation, made to work day to day."""

__version__ = "0.1.0"
