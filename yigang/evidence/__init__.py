"""Evidence: the stored file (an abstract model), the one upload check and the one verified download.

Low in the house: it imports yigang.audit, yigang.images, yigang.inputs, yigang.towns (tenancy, for who may
read an original), Django and the standard library — never a domain app, which all use it.
"""
