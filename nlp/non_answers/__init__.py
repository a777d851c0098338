"""Non-answer rules: answers that give no reason ("n/a", "see my email", "thanks, bye", "just cancel it").

Needs no model, so it is cheap and runs on every answer before anything is embedded; the
root-cause head (``nlp.classifier``) catches what these rules leave. Conservative: any word of
a reason keeps the answer. ``words`` holds the lists (data file), ``patterns`` the regular
expressions, ``kinds`` one test per kind, ``remarks`` the full-sentence kinds (a question back
about the process, a remark about the survey, a refusal), ``admin`` requests and questions about
leaving's paperwork ("need the final statement emailed"), ``compliments`` praise with nothing else
("loved it, no complaints"), ``channel`` what an e-mail, call or chat wraps around an answer
(auto-replies, bounces, voicemail, forwarded receipts, blank forms), ``detect`` the whole-answer
decision, ``content`` whether any word could name a reason (asked by ``nlp.causes`` when the head is unsure).
"""

from __future__ import annotations

from .content import says_nothing
from .detect import has_reason_cue, is_non_answer, names_a_reason

__all__ = ["has_reason_cue", "is_non_answer", "names_a_reason", "says_nothing"]
