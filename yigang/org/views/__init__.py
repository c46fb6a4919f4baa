"""Register pages: sectors and lint, the chain, units, people and portfolios, bulk import and export.

A refusal on them is said in one message, its reasons divided by "；" (`take`)."""

from functools import partial

from yigang.towns import posting

take = partial(posting.take, joined=True)
