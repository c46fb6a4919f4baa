"""Writing numbers the way official documents do (第十二条): the parser's converter, for models and pages."""

from .parser.numerals import int_to_cn as chinese_number

__all__ = ["chinese_number"]
