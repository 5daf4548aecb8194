"""Statistical process control in the NHS Making Data Count style (XmR charts)."""

from icsatlas.contracts.spc.analysis import SpcResult, analyse, assurance, variation_icon
from icsatlas.contracts.spc.rules import RuleSet, names, rule_set

__all__ = ["RuleSet", "SpcResult", "analyse", "assurance", "names", "rule_set", "variation_icon"]
