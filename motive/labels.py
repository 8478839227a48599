"""The names motive gives things, as ``corpora/annotation-spec.md`` defines them.

- :data:`LABELS`: what an answer names — the thing itself (**output**), the change the
  buyer wants in their world (**outcome**), or neither (**none**);
- :data:`QUESTION_KINDS`: what a question does to the why chain — opens one (**root**),
  digs under the answer before (**probe**), or steps aside from the chains (**aside**);
- :data:`DRIVERS` and :data:`DISCIPLINES`: the optional tags of an outcome answer — what kind
  of outcome it is (value driver), and what quality of the offer it weighs most (value discipline).
"""

LABELS = ("output", "outcome", "none")
QUESTION_KINDS = ("root", "probe", "aside")
DRIVERS = ("increase-revenue", "decrease-cost", "mitigate-risk", "emotional-need")
DISCIPLINES = ("operational", "performance", "intimacy")
