#!/usr/bin/env python3
"""Turn the LR-schedule numbers printed in the seed documents into goldens.

    python Scripts/document_goldens.py            # write Golden/Documents/** and its README.md
    python Scripts/document_goldens.py --check    # verify everything, write nothing

The seed documents are the five LR-schedule tutorials in ``/work/shared/seeds``
(override with ``--seeds DIR``; the documents are only needed for ``--check``,
which verifies that every quoted heading is in its document). Every number
they print that a schedule produces is transcribed *inline* below, each table
with a comment quoting where it comes from. For each case the script

1. builds the spec (format ``anneal-trace/1``, ``golden-format.md``) and runs
   it through PyTorch 2.13.0 with ``Scripts/goldens.py`` (same semantics as the
   PyTorch corpus: ``foreach=False``, same record keys);
2. puts the document's values, rounded as the document prints them, into the
   fields they print (``lr``/``last_lr`` of group 0, ``last_epoch``, keys of a
   ``state_dict`` record) -- if and only if PyTorch agrees within the golden's
   ``tolerance.abs`` (half a unit of the last printed digit of the finest
   number the golden transcribes);
3. where the document's number is *not* what PyTorch does, keeps PyTorch's
   value and reports the discrepancy (each one is declared below with its
   likely cause; an undeclared disagreement, or a declared one that turns out
   to agree, is an error);
4. for recipes whose values the document gives only as a formula or as code,
   checks PyTorch against the document's own formula/function (``oracle``).

Every key the document does not print holds what PyTorch produced. The script
also writes ``Golden/Documents/README.md`` (the table of goldens, what was
transcribed from where, every discrepancy, and what could not be transcribed).

``--check`` regenerates everything in memory and fails (exit 1) if a file on
disk differs, a file is missing or stray, a quoted section heading is not
in its document, or if a fresh
PyTorch run of a golden's spec (read back from disk) differs from any recorded
value by more than the golden's tolerance.

Output is deterministic: ``json.dump(..., indent=1, allow_nan=True)`` plus a
newline, cases in a fixed order.
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

import goldens as G  # noqa: E402  (PyTorch runner shared with the PyTorch corpus)

OUT_DIR = os.path.join("Golden", "Documents")
DEFAULT_SEEDS = "/work/shared/seeds"

# ------------------------------------------------------------------ documents

DOCS = {
    "000": {
        "file": "000_287357202cddedbb.txt",
        "slug": "000-scheduler-notebook",
        "title": "Notebook: what an LR scheduler is; StepLR, ConstantLR, ReduceLROnPlateau, "
                 "warmup, cosine, exponential, warmup+cosine, weight decay",
    },
    "001": {
        "file": "001_763a75d1a361c429.txt",
        "slug": "001-schedules-overview",
        "title": "Short overview: step, exponential, cosine, cyclical, one-cycle",
    },
    "002": {
        "file": "002_0e9ad80a45e699ff.txt",
        "slug": "002-schedules-readme",
        "title": "README 'Learning Rate Schedules': formulas, PyTorch recipes, best practices",
    },
    "003": {
        "file": "003_21cbbab21c1f8d5f.txt",
        "slug": "003-step-cosine-from-scratch",
        "title": "Notebook: step decay and cosine annealing from scratch vs the PyTorch built-ins",
    },
    "004": {
        "file": "004_27f96f0bba37a8fb.txt",
        "slug": "004-step-cosine-cyclic-mnist",
        "title": "Step decay, cosine annealing and cyclic LR on MNIST (text + chart explanation)",
    },
}

# ------------------------------------------------------------------- helpers


def opt(typ, params_per_group=None, **options):
    """An optimizer spec; groups default to one group holding one tensor [0.0]."""
    return {"type": typ, "options": options, "param_groups": params_per_group or [{}]}


def sched(typ, **args):
    return {"type": typ, "args": args}


class V:
    """One number the document gives, placed in one record of the trace.

    key  -- "LR" (group 0's ``lr`` and the scheduler's ``last_lr``), or a path
            into the record such as ("last_epoch",) or ("state_dict", "factor").
    text -- the number exactly as the document writes it (its precision sets
            the tolerance); ints are compared exactly.
    how  -- "printed" (program output or a printed value), "stated" (a number
            the prose/table asserts), or "implied" (follows directly from what
            the text says, e.g. 'divide by 10 at epochs 30, 60, 90').
    cause -- None: PyTorch must agree within the tolerance. A string: the
            document is known to disagree with PyTorch here; this is why.
    """

    def __init__(self, rec, key, text, how="printed", cause=None):
        self.rec, self.key, self.text, self.how, self.cause = rec, key, text, how, cause


def lrs(records, text, how="printed", cause=None):
    """The same LR value for several records."""
    return [V(r, "LR", text, how, cause) for r in records]


def table(first_record, texts, how="printed"):
    """Consecutive records, one printed LR each."""
    return [V(first_record + i, "LR", t, how) for i, t in enumerate(texts)]


def half_unit(text: str) -> float:
    """Half a unit of the last digit written: '0.00033' -> 5e-06, '1e-9' -> 5e-10."""
    t = text.strip().lstrip("+-").lower()
    mant, exp = (t.split("e") + ["0"])[:2] if "e" in t else (t, "0")
    decimals = len(mant.split(".")[1]) if "." in mant else 0
    return float(f"5e{int(exp) - decimals - 1}")


def is_int_text(text: str) -> bool:
    return text.strip().lstrip("-").isdigit()


# ---------------------------------------------------------------------- cases
#
# Record k of a trace is the state after the k-th op (record 0: right after
# construction). With ``{"op": "step", "repeat": N}`` record k is the state
# after k rounds of optimizer.step(); scheduler.step().

CASES = []


def case(**kw):
    CASES.append(kw)


# =========================== 000: the scheduler notebook ====================

D0 = "000"
ADAMW_1E3 = opt("AdamW", lr=1e-3)  # `opt = torch.optim.AdamW(lr=lr, params=...)` with `lr = 1e-3`

# Section "3.1 StepLR", cell In [25]:
#   lr_scheduler_StepLR = torch.optim.lr_scheduler.StepLR(optimizer=opt, step_size=5, gamma=0.1)
#   for epoch in range(20): ...; opt.step(); lr_scheduler_StepLR.step()
#       lr = lr_scheduler_StepLR.get_last_lr()[0]; print(f"Epoch {epoch+1}: LR = {lr:.5f}")
# Output (verbatim):
#   Epoch 1: LR = 0.00100 ... Epoch 4: LR = 0.00100
#   Epoch 5: LR = 0.00010 ... Epoch 9: LR = 0.00010
#   Epoch 10: LR = 0.00001 ... Epoch 14: LR = 0.00001
#   Epoch 15: LR = 0.00000 ... Epoch 20: LR = 0.00000
STEPLR_TABLE_000 = ["0.00100"] * 4 + ["0.00010"] * 5 + ["0.00001"] * 5 + ["0.00000"] * 6
case(doc=D0, file="steplr-epoch-table", title="StepLR epoch table",
     section="3.1 StepLR",
     checks="StepLR(step_size=5, gamma=0.1) on AdamW(lr=1e-3): the printed 20-epoch LR table",
     description=(
         "Cell In [25]: AdamW(lr=1e-3), StepLR(step_size=5, gamma=0.1), 20 epochs of "
         "opt.step(); scheduler.step(). The document prints get_last_lr()[0] with :.5f after the "
         "k-th scheduler.step() as 'Epoch k: LR = ...', so 'Epoch k' is record k (lr[0] and "
         "last_lr[0]); record 0 (after construction) is not printed and holds PyTorch's value. "
         "Epochs 15-20 print 0.00000 for 1e-06."),
     optimizer=ADAMW_1E3, scheduler=sched("StepLR", step_size=5, gamma=0.1),
     script=[{"op": "step", "repeat": 20}],
     values=table(1, STEPLR_TABLE_000))

# Section "3.3. Your schedule numerically":
#   "initial LR = 0.001"; "First decay: at epoch 5  0.001 x 0.1 = 0.0001";
#   "Second decay: at epoch 10  0.0001 x 0.1 = 0.00001";
#   "Third decay: at epoch 15  0.00001 x 0.1 = 0.000001";
#   "Then next decay: 0.000001 x 0.1 = 0.0000001"; "Then: 0.0000001 x 0.1 = 0.00000001"
case(doc=D0, file="steplr-decay-points", title="StepLR decay points",
     section="3.3. Your schedule numerically",
     checks="the LR at the five decay points 0, 5, 10, 15, 20, 25 of StepLR(5, 0.1) from 0.001",
     description=(
         "The worked decays of the 3.1 StepLR run: initial LR 0.001, then x0.1 at epochs 5, 10, "
         "15 and the two further decays (epochs 20 and 25). 'epoch t' is last_epoch t, i.e. record "
         "t after t steps (consistent with the 3.1 table, where 'Epoch 5' is the first 0.0001). "
         "Only records 0, 5, 10, 15, 20, 25 carry the document's numbers; the others hold "
         "PyTorch's values."),
     optimizer=ADAMW_1E3, scheduler=sched("StepLR", step_size=5, gamma=0.1),
     script=[{"op": "step", "repeat": 25}],
     values=[V(0, "LR", "0.001", "stated"), V(5, "LR", "0.0001", "stated"),
             V(10, "LR", "0.00001", "stated"), V(15, "LR", "0.000001", "stated"),
             V(20, "LR", "0.0000001", "stated"), V(25, "LR", "0.00000001", "stated")])

# Section "3.4 The key reason your LR "becomes zero"":
#   | Epoch | LR   |
#   | 0–4   | 1e-3 |   | 5–9   | 1e-4 |   | 10–14 | 1e-5 |   | 15–19 | 1e-6 |
#   | 20–24 | 1e-7 |   | 25–29 | 1e-8 |   | 30–34 | 1e-9 |   | ...   | ...  |
#   "After ~25–30 epochs LR is: 10^-8, 10^-9, 10^-10, ..."  (10^-10 = the '...' row, epochs 35–39)
STEPLR_DECADES_000 = ["1e-3", "1e-4", "1e-5", "1e-6", "1e-7", "1e-8", "1e-9", "1e-10"]
case(doc=D0, file="steplr-decay-table", title="StepLR decay table epochs 0-39",
     section="3.4 The key reason your LR “becomes zero”",
     checks="StepLR(5, 0.1) from 1e-3 over epochs 0-39 down to 1e-10 (the table plus its '...' row)",
     description=(
         "The table 'Epoch | LR': 0-4 1e-3, 5-9 1e-4, ..., 30-34 1e-9, and the '...' row continued "
         "by the sentence 'After ~25-30 epochs LR is 10^-8, 10^-9, 10^-10' (35-39: 1e-10). 'Epoch "
         "t' is last_epoch t = record t. AdamW(lr=1e-3) as in the 3.1 cell. The tolerance is half a "
         "unit of the finest entry, 1e-10."),
     optimizer=ADAMW_1E3, scheduler=sched("StepLR", step_size=5, gamma=0.1),
     script=[{"op": "step", "repeat": 39}],
     values=[V(5 * d + i, "LR", text, "stated")
             for d, text in enumerate(STEPLR_DECADES_000) for i in range(5)])

# Section "4. ConstantLR Schedules", cell:
#   lr_scheduler_ConstantLR = torch.optim.lr_scheduler.ConstantLR(optimizer=opt)
#   print("factor:", ...factor); print("total_iters:", ...total_iters); print("last_epoch:", ...last_epoch)
# Output: "factor: 0.3333333333333333" / "total_iters: 5" / "last_epoch: 0"
case(doc=D0, file="constantlr-defaults", title="ConstantLR default attributes",
     section="4. ConstantLR Schedules",
     checks="ConstantLR() defaults right after construction: factor 0.3333333333333333, total_iters 5, last_epoch 0",
     description=(
         "The three attributes the cell prints right after ConstantLR(optimizer=opt) on "
         "AdamW(lr=1e-3): factor (printed with repr), total_iters and last_epoch. Record 0's "
         "last_epoch and record 1 (a state_dict op, which changes nothing) hold them; the rest of "
         "the state_dict is PyTorch's. Tolerance: half a unit of the 16th decimal of the printed "
         "factor."),
     optimizer=ADAMW_1E3, scheduler=sched("ConstantLR"),
     script=[{"op": "state_dict"}],
     values=[V(0, ("last_epoch",), "0"), V(1, ("last_epoch",), "0"),
             V(1, ("state_dict", "factor"), "0.3333333333333333"),
             V(1, ("state_dict", "total_iters"), "5"),
             V(1, ("state_dict", "last_epoch"), "0")])

# Same cell, loop: for epoch in range(20): ...; opt.step(); lr_scheduler_ConstantLR.step()
#   lr = lr_scheduler_ConstantLR.get_last_lr()[0]; print(f"Epoch {epoch+1}: LR = {lr:.5f}")
# Output (verbatim; the document shows only 8 of the 20 epochs):
#   Epoch 1: LR = 0.00033 ... Epoch 4: LR = 0.00033
#   Epoch 5: LR = 0.00100 ... Epoch 8: LR = 0.00100
case(doc=D0, file="constantlr-epoch-table", title="ConstantLR epoch table",
     section="4. ConstantLR Schedules",
     checks="ConstantLR() (factor 1/3, total_iters 5) on AdamW(lr=1e-3): the printed epochs 1-8",
     description=(
         "AdamW(lr=1e-3), ConstantLR with its defaults; each epoch opt.step(); scheduler.step(); "
         "then get_last_lr()[0] printed with :.5f as 'Epoch k: LR = ...' = record k. The loop runs "
         "20 epochs but the document's output stops after 'Epoch 8', so the script has the 8 "
         "printed steps. Record 0 (after construction, factor applied) is not printed."),
     optimizer=ADAMW_1E3, scheduler=sched("ConstantLR"),
     script=[{"op": "step", "repeat": 8}],
     values=table(1, ["0.00033"] * 4 + ["0.00100"] * 4))

# Section "4.1. Why your LR starts at 0.00033":
#   "During the first 5 scheduler.step() calls:  lr_t = base_lr * factor = 0.001 x 0.33333 = 0.00033333"
#   "After 5 iterations, the LR snaps back to:  lr_t = base_lr = 0.001"
#   "Epoch 1–4: approx 0.00033 / Epoch 5: 0.001 again / Rest of training: 0.001"
case(doc=D0, file="constantlr-warmup-explained", title="ConstantLR factor phase explained",
     section="4.1. Why your LR starts at 0.00033",
     checks="ConstantLR(): 0.00033333 for last_epoch 0-4, 0.001 from the 5th step on",
     description=(
         "The explanation of the ConstantLR table: lr = 0.001 x 0.33333 = 0.00033333 while the "
         "factor applies, 0.001 'after 5 iterations' and for the 'rest of training'. In PyTorch "
         "the factor applies for last_epoch 0-4 (records 0-4: at construction and after the first "
         "four step() calls); record 5, after the 5th step(), is 0.001, as the document's table "
         "('Epoch 5: 0.001 again') shows. Records 0-8 (the printed epochs). Tolerance: half a unit "
         "of the 8th decimal of 0.00033333."),
     optimizer=ADAMW_1E3, scheduler=sched("ConstantLR"),
     script=[{"op": "step", "repeat": 8}],
     values=lrs(range(0, 5), "0.00033333", "stated") + lrs(range(5, 9), "0.001", "stated"))

# Section "4.3. Your code applies ConstantLR per **epoch**, not per batch":
#   "Thus: It warms up for 5 epochs / Then normal LR for the remaining 95 epochs"
#   (the warm and normal LRs are 4.1's 0.00033333 and 0.001)
case(doc=D0, file="constantlr-100-epochs", title="ConstantLR over 100 epochs",
     section="4.3. Your code applies ConstantLR per epoch, not per batch",
     checks="ConstantLR(): 5 epochs at 0.00033333 then 95 epochs at 0.001 (100 epochs)",
     description=(
         "'It warms up for 5 epochs, then normal LR for the remaining 95 epochs': a 100-epoch run "
         "(records 0-99 = the LR in force during epochs 0-99, each epoch ending with "
         "scheduler.step()), warm LR 0.00033333 and normal LR 0.001 as 4.1 prints them. Note the "
         "document's own loop runs 20 epochs, not 100."),
     optimizer=ADAMW_1E3, scheduler=sched("ConstantLR"),
     script=[{"op": "step", "repeat": 99}],
     values=lrs(range(0, 5), "0.00033333", "stated") + lrs(range(5, 100), "0.001", "stated"))

# Section "5. ReduceLROnPlateau Scheduler", cell:
#   lr_scheduler_ReduceLROnPlateau = torch.optim.lr_scheduler.ReduceLROnPlateau(
#       optimizer=opt, mode="min", factor=0.1, patience=5,     # reduce LR after 5 bad epochs
#   )
#   print("eps: ", lr_scheduler_ReduceLROnPlateau.eps)
#   val_losses = [ ...30 values, below... ]
#   for epoch in range(len(val_losses)): ...; opt.step(); ...
#       lr_scheduler_ReduceLROnPlateau.step(current); lr = opt.param_groups[0]["lr"]
#       print(f"          LR = {lr:.6f}\n"); print(f"Epoch {epoch+1}: LR = {lr:.5f}")
# The document shows no output for this cell.
VAL_LOSSES_000 = [
    1.0, 0.9, 0.8, 0.7, 0.6,
    0.55, 0.52, 0.50, 0.49, 0.485,
    0.480, 0.479,       # still improving
    0.479, 0.479, 0.479, 0.480, 0.481,   # plateau begins
    0.482, 0.481, 0.483, 0.484, 0.485,
    0.486, 0.487, 0.488, 0.487,
    0.489, 0.490, 0.491, 0.492,
]
case(doc=D0, file="reducelronplateau-val-losses", title="ReduceLROnPlateau on the hand-made val_losses",
     section="5. ReduceLROnPlateau Scheduler",
     checks="ReduceLROnPlateau(min, factor 0.1, patience 5) on the 30 hand-made val_losses: 1e-3 -> 1e-4 (epoch 18) -> 1e-5 (24) -> 1e-6 (30)",
     description=(
         "AdamW(lr=1e-3), ReduceLROnPlateau(mode='min', factor=0.1, patience=5) stepped with the "
         "document's 30 hand-made val_losses. The cell prints eps after construction (record 1, a "
         "state_dict op) and then opt.param_groups[0]['lr'] with :.6f after each "
         "scheduler.step(val_loss): epoch k is record k+1. The document shows no output for this "
         "cell, so every value is PyTorch's; the tolerance is the cell's :.6f print precision. "
         "The code comment 'reduce LR after 5 bad epochs' is wrong: PyTorch reduces on the 6th "
         "(epoch 18, after bad epochs 13-18), see the README."),
     optimizer=ADAMW_1E3,
     scheduler=sched("ReduceLROnPlateau", mode="min", factor=0.1, patience=5),
     script=[{"op": "state_dict"}, {"op": "step", "metrics": VAL_LOSSES_000}],
     print_format=".6f",
     values=[V(18, "LR", "1e-4", "implied",
               cause="The code comment 'patience=5, # reduce LR after 5 bad epochs' puts the first "
                     "reduction at epoch 17 (5 bad epochs: 13-17). PyTorch reduces when "
                     "num_bad_epochs > patience, i.e. on the 6th bad epoch (epoch 18, record 19).")])

# Section "5.3. What counts as "no improvement"?":
#   "Bad epoch happens when: current loss >= best loss - eps"
#   "Example: best loss: 0.250000 / current loss: 0.2499998 / eps: 1e-8 /
#    This **is considered an improvement**."
# (with the section-5 scheduler: factor=0.1, patience=5, AdamW lr=1e-3)
case(doc=D0, file="reducelronplateau-improvement-example", title="ReduceLROnPlateau improvement example",
     section="5.3. What counts as “no improvement”?",
     checks="best 0.25, then 0.2499998: not an improvement in PyTorch (rel threshold 1e-4), contrary to the document",
     description=(
         "The document's example (best 0.250000, current 0.2499998, eps 1e-8 'is considered an "
         "improvement') run through the section-5 scheduler (AdamW lr=1e-3, mode='min', "
         "factor=0.1, patience=5): metric 0.25 (record 1), state_dict (record 2: best 0.25, eps "
         "1e-8), metric 0.2499998 (record 3), state_dict (record 4), then 0.2499998 five more times "
         "(records 5-9). PyTorch's test is current < best * (1 - threshold) with threshold=1e-4 "
         "(threshold_mode='rel'), so 0.2499998 is a bad epoch: best stays 0.25, num_bad_epochs "
         "is 1 at record 4, and the 6th bad epoch (record 9) cuts the LR to 1e-4. Under the "
         "document's rule best would become 0.2499998 with 0 bad epochs and the LR would stay "
         "1e-3. The records hold PyTorch's values; the disagreements are listed in the README."),
     optimizer=ADAMW_1E3,
     scheduler=sched("ReduceLROnPlateau", mode="min", factor=0.1, patience=5),
     script=[{"op": "step", "metric": 0.25}, {"op": "state_dict"},
             {"op": "step", "metric": 0.2499998}, {"op": "state_dict"},
             {"op": "step", "metrics": [0.2499998] * 5}],
     values=[
         V(2, ("state_dict", "best"), "0.250000", "stated"),
         V(2, ("state_dict", "eps"), "1e-8", "stated"),
         V(4, ("state_dict", "eps"), "1e-8", "stated"),
         V(4, ("state_dict", "best"), "0.2499998", "implied",
           cause="The document's improvement test 'current < best - eps' (eps=1e-8) counts 0.2499998 "
                 "as an improvement, so best would become 0.2499998. PyTorch's test is threshold-based "
                 "(threshold=1e-4, threshold_mode='rel': current < best*(1-1e-4) = 0.249975); eps is "
                 "only the minimal LR change. best stays 0.25."),
         V(4, ("state_dict", "num_bad_epochs"), "0", "implied",
           cause="Same confusion of eps with threshold: PyTorch counts 0.2499998 as a bad epoch "
                 "(num_bad_epochs 1), the document as an improvement (0)."),
         V(9, "LR", "1e-3", "implied",
           cause="Under the document's rule the 5 later 0.2499998 are only 5 bad epochs (no "
                 "reduction with patience=5); in PyTorch they are bad epochs 2-6 and the 6th cuts "
                 "the LR to 1e-4."),
     ])

# Section "5.4. After *patience* bad epochs → LR decreases":
#   "If you set: patience=5 / factor=0.1 / Then: If 10 consecutive epochs show no improvement ->
#    new learning rate becomes: lr_new = lr_old x factor / Example: Initial LR = 1e-3 / factor = 0.1 /
#    After plateau: New LR = 10^-3 x 0.1 = 10^-4"
case(doc=D0, file="reducelronplateau-patience", title="ReduceLROnPlateau patience=5 reduction",
     section="5.4. After patience bad epochs → LR decreases",
     checks="patience=5, factor=0.1 from 1e-3: the cut to 1e-4 comes on the 6th bad epoch, not after 10",
     description=(
         "patience=5, factor=0.1, initial LR 1e-3 (AdamW, mode='min'), stepped with a metric that "
         "never improves after the first value: 1.0 eleven times (record k after the k-th "
         "scheduler.step(1.0); record 1 sets best, records 2-11 are bad epochs 1-10). The document "
         "says the LR becomes 10^-3 x 0.1 = 10^-4 after 10 consecutive bad epochs (record 11). "
         "PyTorch cuts it on the 6th bad epoch (record 7) and, with num_bad_epochs reset, not "
         "again within the next 4. Records 7-10 therefore hold PyTorch's 1e-4, not the "
         "document's 1e-3 (see the README); records 0-6 and 11 agree."),
     optimizer=ADAMW_1E3,
     scheduler=sched("ReduceLROnPlateau", mode="min", factor=0.1, patience=5),
     script=[{"op": "step", "metrics": [1.0] * 11}],
     values=(lrs(range(0, 1), "1e-3", "stated") + lrs(range(1, 7), "1e-3", "implied")
             + lrs(range(7, 11), "1e-3", "implied",
                   cause="'If 10 consecutive epochs show no improvement' the LR is cut; with "
                         "patience=5 PyTorch cuts it when num_bad_epochs > patience, i.e. on the 6th "
                         "bad epoch. (The section's own heading and the code comment say 'after "
                         "patience/5 bad epochs'; both are off by one as well.)")
             + lrs(range(11, 12), "1e-4", "stated")))

# Section "8.1. Equation":
#   "eta(t) = eta_0 * gamma^t ... Example: gamma = 0.95, after 20 epochs: eta(20) = eta_0 * 0.95^20"
# (eta_0: the notebook's lr = 1e-3 with AdamW)
case(doc=D0, file="exponentiallr-20-epochs", title="ExponentialLR gamma=0.95 for 20 epochs",
     section="8.1. Equation",
     checks="ExponentialLR(0.95) from 1e-3: eta(t) = eta_0 * 0.95^t for t = 0..20 (formula)",
     description=(
         "The example 'gamma = 0.95, after 20 epochs eta(20) = eta_0 * 0.95^20', with the notebook's "
         "AdamW(lr=1e-3) as eta_0; record t (after t steps) is eta(t). The document gives a formula, "
         "not printed digits: the records are PyTorch's (its iterative product) and are checked "
         "against eta_0 * 0.95**t; the tolerance 1e-15 only absorbs floating-point rounding "
         "(about 1e-12 relative)."),
     optimizer=ADAMW_1E3, scheduler=sched("ExponentialLR", gamma=0.95),
     script=[{"op": "step", "repeat": 20}],
     oracle=lambda t: 1e-3 * 0.95 ** t,
     formula_tolerance={"abs": 1e-15})


# Sections "9.1. Equation (piecewise)" and the cell after "10. When should you choose which?":
#   warmup:  eta(t) = eta_start + t/T_warmup (eta_max - eta_start),                      t < T_warmup
#   cosine:  eta(t) = eta_min + (eta_max - eta_min)/2 (1 + cos(pi s/(T_total - T_warmup))), s = t - T_warmup
# with the cell's parameters:
#   steps = 200; base_lr = 1e-3; new_opt = torch.optim.Adam([torch.zeros(1)], lr=lr)
#   total_warmup = 20
#   scheduler_warmup = LinearLR(opt, start_factor=0.1, total_iters=total_warmup)
#   scheduler_cosine = CosineAnnealingLR(opt, T_max=steps - total_warmup, eta_min=1e-6)
#   for t in range(steps): opt.step(); (scheduler_warmup if t < total_warmup else scheduler_cosine).step()
def warmup_cosine_eq9(t):
    eta_start, eta_max, eta_min, t_warmup, t_total = 0.1 * 1e-3, 1e-3, 1e-6, 20, 200
    if t < t_warmup:
        return eta_start + t / t_warmup * (eta_max - eta_start)
    s = t - t_warmup
    return eta_min + (eta_max - eta_min) / 2 * (1 + math.cos(math.pi * s / (t_total - t_warmup)))


ADAM_1E3 = opt("Adam", lr=1e-3)
case(doc=D0, file="warmup-cosine-manual-switch", title="Warmup+Cosine, two schedulers switched by hand",
     section="10. When should you choose which?",
     checks="LinearLR(0.1, 20) then CosineAnnealingLR(180, 1e-6), each stepped alone, as the cell does; equals the 9.1 equation",
     description=(
         "The '3) Warmup + Cosine' block of the comparison cell at the end of section 10: "
         "Adam([zeros(1)], lr=1e-3), LinearLR(start_factor=0.1, total_iters=20) and "
         "CosineAnnealingLR(T_max=180, eta_min=1e-6) both built on the optimizer; every step runs "
         "opt.step() and only the warmup scheduler (t < 20) or only the cosine one (t >= 20). "
         "Record t is the LR after t steps (the cell's lrs[t-1]). The document only plots it, so "
         "the records are PyTorch's, checked against the piecewise equation of 9.1 with "
         "eta_start=1e-4, eta_max=1e-3, eta_min=1e-6, T_warmup=20, T_total=200; the tolerance 1e-15 "
         "only absorbs floating-point rounding."),
     optimizer=ADAM_1E3,
     scheduler=[sched("LinearLR", start_factor=0.1, total_iters=20),
                sched("CosineAnnealingLR", T_max=180, eta_min=1e-6)],
     script=[{"op": "step", "scheduler": 0, "repeat": 20},
             {"op": "step", "scheduler": 1, "repeat": 180}],
     oracle=warmup_cosine_eq9,
     formula_tolerance={"abs": 1e-15})

case(doc=D0, file="warmup-cosine-sequentiallr", title="Warmup+Cosine as SequentialLR",
     section="9.1. Equation (piecewise)",
     checks="SequentialLR([LinearLR(0.1, 20), CosineAnnealingLR(180, 1e-6)], [20]) equals the 9.1 piecewise equation",
     description=(
         "The piecewise 'Linear Warmup + Cosine Decay' equation of 9.1 as the idiomatic "
         "SequentialLR, with the parameters of the section-10 cell (Adam lr=1e-3, 20 linear warmup "
         "steps from start_factor 0.1, cosine over the remaining 180 of 200 steps to eta_min=1e-6). "
         "Record t is the LR after t steps = eta(t). The document gives a formula only: the records "
         "are PyTorch's, checked against the equation; the tolerance 1e-15 only absorbs "
         "floating-point rounding."),
     optimizer=ADAM_1E3,
     scheduler=sched("SequentialLR",
                     schedulers=[sched("LinearLR", start_factor=0.1, total_iters=20),
                                 sched("CosineAnnealingLR", T_max=180, eta_min=1e-6)],
                     milestones=[20]),
     script=[{"op": "step", "repeat": 200}],
     oracle=warmup_cosine_eq9,
     formula_tolerance={"abs": 1e-15})

# =========================== 002: the schedules README ======================

D2 = "002"
SGD_01 = opt("SGD", lr=0.1)

# Section "1. Step Decay" (under "Common Schedules"):
#   Example (ResNet on ImageNet):  eta_0 = 0.1 / gamma = 0.1 (divide by 10) / s = 30 epochs
#     Epochs 0-30:  eta = 0.1
#     Epochs 30-60: eta = 0.01
#     Epochs 60-90: eta = 0.001
case(doc=D2, file="resnet-steplr", title="ResNet step decay epochs 0-89",
     section="1. Step Decay",
     checks="StepLR(30, 0.1) from 0.1: 0.1 / 0.01 / 0.001 over epochs 0-89",
     description=(
         "The 'Example (ResNet on ImageNet)' of eta(t) = eta_0 * gamma^floor(t/s) with eta_0=0.1, "
         "gamma=0.1, s=30: StepLR(step_size=30, gamma=0.1); the document names no optimizer, SGD "
         "with lr=0.1 is used (the optimizer does not affect the LR). 'Epoch t' is record t (after t "
         "steps). The ranges 'Epochs 0-30 / 30-60 / 60-90' are read half-open ([0,30) ...), as the "
         "formula and the README's 'divide by 10 at epochs 30, 60, 90' require; records 0-89."),
     optimizer=SGD_01, scheduler=sched("StepLR", step_size=30, gamma=0.1),
     script=[{"op": "step", "repeat": 89}],
     values=lrs(range(0, 30), "0.1", "stated") + lrs(range(30, 60), "0.01", "stated")
     + lrs(range(60, 90), "0.001", "stated"))

# Section "Computer Vision (ResNet, ViT)" (under "Best Practices by Task"):
#   Classic (ResNet):  Initial LR: 0.1 / Schedule: Step decay / Decay: ÷10 at epochs 30, 60, 90 /
#                      Total: 90-120 epochs
case(doc=D2, file="resnet-multisteplr", title="ResNet classic recipe, 120 epochs",
     section="Computer Vision (ResNet, ViT)",
     checks="MultiStepLR([30, 60, 90], 0.1) from 0.1 over 120 epochs: 0.1 / 0.01 / 0.001 / 0.0001",
     description=(
         "'Classic (ResNet): Initial LR 0.1, step decay, ÷10 at epochs 30, 60, 90, total 90-120 "
         "epochs' as MultiStepLR(milestones=[30, 60, 90], gamma=0.1) on SGD(lr=0.1) for 120 epochs "
         "(records 0-119, record t = epoch t after t steps). Only 0.1 is printed; 0.01, 0.001 and "
         "0.0001 follow from '÷10' and are checked to half a unit of their last digit."),
     optimizer=SGD_01, scheduler=sched("MultiStepLR", milestones=[30, 60, 90], gamma=0.1),
     script=[{"op": "step", "repeat": 119}],
     values=lrs(range(0, 30), "0.1", "stated") + lrs(range(30, 60), "0.01", "implied")
     + lrs(range(60, 90), "0.001", "implied") + lrs(range(90, 120), "0.0001", "implied"))


# Section "Custom Warmup + Cosine Schedule":
#   def get_lr(step, total_steps, warmup_steps, max_lr, min_lr=0):
#       if step < warmup_steps: return max_lr * step / warmup_steps
#       else:
#           progress = (step - warmup_steps) / (total_steps - warmup_steps)
#           return min_lr + (max_lr - min_lr) * 0.5 * (1 + math.cos(math.pi * progress))
#   scheduler = LambdaLR(optimizer,
#       lr_lambda=lambda step: get_lr(step, total_steps, warmup_steps, max_lr) / max_lr)
# with the ViT recipe of "Computer Vision (ResNet, ViT)":
#   Modern (ViT): Initial LR: 3e-4 / Schedule: Warmup + cosine / Warmup: 5-10 epochs / Total: 300-1000 epochs
def doc002_get_lr(step, total_steps, warmup_steps, max_lr, min_lr=0):  # verbatim from the document
    if step < warmup_steps:
        return max_lr * step / warmup_steps
    else:
        progress = (step - warmup_steps) / (total_steps - warmup_steps)
        return min_lr + (max_lr - min_lr) * 0.5 * (1 + math.cos(math.pi * progress))


VIT_MAX_LR, VIT_WARMUP, VIT_TOTAL = 3e-4, 10, 300
case(doc=D2, file="warmup-cosine-lambdalr", title="Warmup+cosine LambdaLR, ViT recipe",
     section="Custom Warmup + Cosine Schedule",
     checks="the document's get_lr()/max_lr as a LambdaLR expression (ViT: 3e-4, 10 warmup of 300), bit-exact against the document's function",
     description=(
         "The document's LambdaLR(lr_lambda=lambda step: get_lr(step, total_steps, warmup_steps, "
         "max_lr) / max_lr) with the 'Modern (ViT)' recipe of 'Computer Vision (ResNet, ViT)': "
         "max_lr = initial LR = 3e-4 (Adam(lr=3e-4), so the LR equals get_lr), warmup_steps=10, "
         "total_steps=300, min_lr=0. The expression is get_lr written out with the same operations "
         "in the same order. Record t = LR after t steps = 3e-4 * (get_lr(t)/3e-4), records 0-300. "
         "The document prints no values: the records are PyTorch's and equal the document's "
         "function evaluated in Python bit for bit, hence a 0-ULP tolerance."),
     optimizer=opt("Adam", lr=VIT_MAX_LR),
     scheduler=sched("LambdaLR", lr_lambda=(
         "(3e-4 * epoch / 10 if epoch < 10 else "
         "0 + (3e-4 - 0) * 0.5 * (1 + cos(pi * ((epoch - 10) / (300 - 10))))) / 3e-4")),
     script=[{"op": "step", "repeat": VIT_TOTAL}],
     oracle=lambda t: VIT_MAX_LR * (doc002_get_lr(t, VIT_TOTAL, VIT_WARMUP, VIT_MAX_LR) / VIT_MAX_LR),
     formula_tolerance={"ulps": 0})


# Section "Transformer Schedule (Original)":
#   def transformer_lr(step, d_model=512, warmup_steps=4000):
#       step = max(step, 1)  # Avoid division by zero
#       return (d_model ** -0.5) * min(step ** -0.5, step * (warmup_steps ** -1.5))
#   scheduler = LambdaLR(optimizer, lr_lambda=lambda step: transformer_lr(step, d_model=512, warmup_steps=4000))
# where `optimizer` is the README's `optim.Adam(model.parameters(), lr=0.001)` ("PyTorch Schedulers").
# Formula in "5. Warmup + Decay (Transformers)": eta(t) = d^(-0.5) x min(t^(-0.5), t x warmup^(-1.5)).
def doc002_transformer_lr(step, d_model=512, warmup_steps=4000):  # verbatim from the document
    step = max(step, 1)  # Avoid division by zero
    return (d_model ** -0.5) * min(step ** -0.5, step * (warmup_steps ** -1.5))


case(doc=D2, file="transformer-lambdalr", title="Attention is All You Need schedule as LambdaLR",
     section="Transformer Schedule (Original)",
     checks="inverse-sqrt warmup d=512, warmup=4000 as a LambdaLR expression over 8000 steps, bit-exact against the document's transformer_lr",
     description=(
         "The document's transformer_lr(step, d_model=512, warmup_steps=4000) (step clamped to "
         ">= 1) as a LambdaLR expression with the same operations in the same order, on the "
         "README's optimizer Adam(lr=0.001): record t (after t steps) = 0.001 * transformer_lr(t), "
         "records 0-8000 (linear rise to the peak at t=4000, then 1/sqrt(t) decay; the peak is "
         "1/sqrt(2) times higher than t=8000). The document prints no values: the records are "
         "PyTorch's and equal the document's function bit for bit, hence a 0-ULP tolerance."),
     optimizer=opt("Adam", lr=0.001),
     scheduler=sched("LambdaLR", lr_lambda=(
         "(512 ** -0.5) * min(max(epoch, 1) ** -0.5, max(epoch, 1) * (4000 ** -1.5))")),
     script=[{"op": "step", "repeat": 8000}],
     oracle=lambda t: 0.001 * doc002_transformer_lr(t),
     formula_tolerance={"ulps": 0})

# Section "Cyclic Learning Rates":
#   scheduler = CyclicLR(optimizer, base_lr=1e-5, max_lr=1e-3,
#                        step_size_up=2000,  # Steps to increase
#                        mode='triangular2'   # Halve amplitude each cycle
#   )
# (`optimizer` = optim.Adam(model.parameters(), lr=0.001); per-batch stepping)
case(doc=D2, file="cycliclr-triangular2", title="CyclicLR triangular2 halving",
     section="Cyclic Learning Rates",
     checks="CyclicLR(1e-5, 1e-3, 2000, 'triangular2') on Adam: 1e-5 at 0 and 4000, 1e-3 at 2000, halved peak 5.05e-4 at 6000",
     description=(
         "CyclicLR(base_lr=1e-5, max_lr=1e-3, step_size_up=2000, mode='triangular2') on the README's "
         "Adam(lr=0.001) (CyclicLR replaces the LR with base_lr; cycle_momentum cycles Adam's beta1 "
         "between 0.8 and 0.9), one step per batch, records 0-6000. The bounds give record 0 = "
         "1e-5, the first peak (record 2000) = 1e-3, the trough (record 4000) = 1e-5; 'Halve "
         "amplitude each cycle' gives the second peak (record 6000) = 1e-5 + (1e-3 - 1e-5)/2 = "
         "5.05e-4. Other records are PyTorch's."),
     optimizer=opt("Adam", lr=0.001),
     scheduler=sched("CyclicLR", base_lr=1e-5, max_lr=1e-3, step_size_up=2000, mode="triangular2"),
     script=[{"op": "step", "repeat": 6000}],
     values=[V(0, "LR", "1e-5", "stated"), V(2000, "LR", "1e-3", "stated"),
             V(4000, "LR", "1e-5", "implied"), V(6000, "LR", "5.05e-4", "implied")])

# =========================== 003: from scratch vs built-in ==================

D3 = "003"
# Both cells: SGD(lr=0.1); cosine with T_max=20, eta_min=1e-3; 20 epochs of opt.step(); sched.step()
# and a print of the LR with :.6f. Output of both cells (verbatim LR column; losses omitted):
#   epoch 01 | lr=0.099391   epoch 02 | lr=0.097577   epoch 03 | lr=0.094605   epoch 04 | lr=0.090546
#   epoch 05 | lr=0.085502   epoch 06 | lr=0.079595   epoch 07 | lr=0.072973   epoch 08 | lr=0.065796
#   epoch 09 | lr=0.058244   epoch 10 | lr=0.050500   epoch 11 | lr=0.042756   epoch 12 | lr=0.035204
#   epoch 13 | lr=0.028027   epoch 14 | lr=0.021405   epoch 15 | lr=0.015498   epoch 16 | lr=0.010454
#   epoch 17 | lr=0.006395   epoch 18 | lr=0.003423   epoch 19 | lr=0.001609   epoch 20 | lr=0.001000
COSINE_TABLE_003_CUSTOM = [  # cell In [7]: sched = CosineAnnealingLR(opt, T_max=20, eta_min=1e-3) (the notebook's own class)
    "0.099391", "0.097577", "0.094605", "0.090546", "0.085502", "0.079595", "0.072973",
    "0.065796", "0.058244", "0.050500", "0.042756", "0.035204", "0.028027", "0.021405",
    "0.015498", "0.010454", "0.006395", "0.003423", "0.001609", "0.001000",
]
COSINE_TABLE_003_BUILTIN = [  # cell In [9]: sch = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=20, eta_min=1e-3)
    "0.099391", "0.097577", "0.094605", "0.090546", "0.085502", "0.079595", "0.072973",
    "0.065796", "0.058244", "0.050500", "0.042756", "0.035204", "0.028027", "0.021405",
    "0.015498", "0.010454", "0.006395", "0.003423", "0.001609", "0.001000",
]


def doc003_cosine(t, b=0.1, eta_min=1e-3, t_max=20):  # the notebook's CosineAnnealingLR.step(), verbatim
    tt = min(max(t, 0), t_max)
    return eta_min + 0.5 * (b - eta_min) * (1 + math.cos(math.pi * tt / t_max))


case(doc=D3, file="cosine-table-custom", title="CosineAnnealingLR T_max=20 table (from-scratch class)",
     section="Quick experiment on toy data (uses the custom schedulers)",
     checks="CosineAnnealingLR(T_max=20, eta_min=1e-3) on SGD(lr=0.1): the 20 printed 6-decimal LRs of the from-scratch class",
     description=(
         "Cell In [7]: SGD(lr=0.1) and the notebook's own closed-form CosineAnnealingLR(T_max=20, "
         "eta_min=1e-3); each epoch opt.step(); sched.step(); then sched.last_lr()[0] (= "
         "param_groups[0]['lr']) printed with :.6f as 'epoch k | lr=...' = record k (lr[0] and "
         "last_lr[0]) of PyTorch's CosineAnnealingLR with the same arguments; record 0 is not "
         "printed. The printed losses are not schedule values and are not transcribed. PyTorch's "
         "recursive values are also checked against the notebook's closed form (within 1e-16)."),
     optimizer=SGD_01, scheduler=sched("CosineAnnealingLR", T_max=20, eta_min=1e-3),
     script=[{"op": "step", "repeat": 20}],
     values=table(1, COSINE_TABLE_003_CUSTOM),
     oracle=doc003_cosine, oracle_tolerance={"abs": 1e-16})

case(doc=D3, file="cosine-table-builtin", title="CosineAnnealingLR T_max=20 table (built-in)",
     section="Using PyTorch built-ins for comparison",
     checks="torch CosineAnnealingLR(T_max=20, eta_min=1e-3) on SGD(lr=0.1): the 20 printed 6-decimal LRs",
     description=(
         "Cell In [9]: SGD(lr=0.1), torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=20, "
         "eta_min=1e-3); each epoch opt.step(); sch.step(); then opt.param_groups[0]['lr'] printed "
         "with :.6f as '[builtin] epoch k | lr=...' = record k (lr[0] and last_lr[0]); record 0 is "
         "not printed. The printed losses are not schedule values and are not transcribed."),
     optimizer=SGD_01, scheduler=sched("CosineAnnealingLR", T_max=20, eta_min=1e-3),
     script=[{"op": "step", "repeat": 20}],
     values=table(1, COSINE_TABLE_003_BUILTIN))

# =========================== 004: step / cosine / cyclic on MNIST ============

D4 = "004"
SGD_01_M09 = opt("SGD", lr=0.1, momentum=0.9)  # optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)

# Section "Visualizing the Learning Rate Schedules", **Chart Explanation**:
#   "- Step Decay (blue): Drops from 0.1 to 0.01 at epoch 5, to 0.001 at epoch 10, etc."
#   "- Cosine Annealing (orange): Smoothly decreases from 0.1 to 0.001 over 10 epochs, then restarts."
#   "- Cyclic LR (green): Oscillates between 0.001 and 0.1 every ~2 epochs (2000 steps)."
# for the code's schedulers:
#   scheduler = lr_scheduler.StepLR(optimizer, step_size=5, gamma=0.1)
#   # scheduler = lr_scheduler.CosineAnnealingLR(optimizer, T_max=20, eta_min=0.001)
#   # scheduler = lr_scheduler.CyclicLR(optimizer, base_lr=0.001, max_lr=0.1, step_size_up=1000, mode='triangular')
# and "Explanation of the Code": "Cosine Annealing: Decays learning rate over 20 epochs (T_max=20) to a
#   minimum of 0.001 (eta_min=0.001)"; "Cyclic LR: Cycles between 0.001 and 0.1 every 2000 steps".
case(doc=D4, file="steplr-chart", title="StepLR chart: 0.1 -> 0.01 -> 0.001",
     section="Visualizing the Learning Rate Schedules",
     checks="StepLR(5, 0.1) on SGD(0.1, momentum 0.9): 0.1, 0.01 from epoch 5, 0.001 from epoch 10, 'etc.' 0.0001 from 15, 0.00001 at 20",
     description=(
         "The code's StepLR(step_size=5, gamma=0.1) on SGD(lr=0.1, momentum=0.9), stepped once per "
         "epoch for num_epochs=20; the code prints get_last_lr()[0] after the k-th step as 'Epoch "
         "k/20', so epoch k is record k. The chart explanation gives 0.1, then 0.01 at epoch 5 and "
         "0.001 at epoch 10; its 'etc.' is read as 0.0001 from epoch 15 and 0.00001 at epoch 20. The "
         "code's printed output "
         "is not shown in the document."),
     optimizer=SGD_01_M09, scheduler=sched("StepLR", step_size=5, gamma=0.1),
     script=[{"op": "step", "repeat": 20}],
     values=lrs(range(0, 5), "0.1", "stated") + lrs(range(5, 10), "0.01", "stated")
     + lrs(range(10, 15), "0.001", "stated") + lrs(range(15, 20), "0.0001", "implied")
     + lrs(range(20, 21), "0.00001", "implied"))

case(doc=D4, file="cosine-chart", title="CosineAnnealingLR chart vs T_max=20",
     section="Visualizing the Learning Rate Schedules",
     checks="CosineAnnealingLR(T_max=20, eta_min=0.001) on SGD(0.1, momentum 0.9): 0.1 at 0, 0.001 at 20 (not at 10)",
     description=(
         "The code's CosineAnnealingLR(T_max=20, eta_min=0.001) on SGD(lr=0.1, momentum=0.9), one "
         "step per epoch for 20 epochs (epoch k = record k). The chart explanation says 'from 0.1 "
         "to 0.001 over 10 epochs, then restarts'; PyTorch with the code's T_max=20 is 0.0505 at "
         "epoch 10 and reaches 0.001 at epoch 20 without restarting, as 'Explanation of the Code' "
         "('Decays learning rate over 20 epochs (T_max=20) to a minimum of 0.001') says. Record 10 "
         "holds PyTorch's value (see the README)."),
     optimizer=SGD_01_M09, scheduler=sched("CosineAnnealingLR", T_max=20, eta_min=0.001),
     script=[{"op": "step", "repeat": 20}],
     values=[V(0, "LR", "0.1", "stated"),
             V(10, "LR", "0.001", "stated",
               cause="The chart (and its explanation) shows a cosine reaching 0.001 after 10 epochs "
                     "and restarting, i.e. a period of 10 epochs (T_max=10 or warm restarts with "
                     "T_0=10), not the code's CosineAnnealingLR(T_max=20), which is at 0.0505 at "
                     "epoch 10."),
             V(20, "LR", "0.001", "stated")])

case(doc=D4, file="cycliclr-chart", title="CyclicLR triangular between 0.001 and 0.1",
     section="Visualizing the Learning Rate Schedules",
     checks="CyclicLR(0.001, 0.1, step_size_up=1000) on SGD(0.1, momentum 0.9): 0.001 / 0.1 / 0.001 at steps 0 / 1000 / 2000",
     description=(
         "The code's CyclicLR(base_lr=0.001, max_lr=0.1, step_size_up=1000, mode='triangular') on "
         "SGD(lr=0.1, momentum=0.9), stepped after every batch; record i is the LR after i batches, "
         "records 0-2000 (one full cycle). 'Oscillates between 0.001 and 0.1 every ~2 epochs (2000 "
         "steps)' gives 0.001 at records 0 and 2000 and 0.1 at record 1000 (step_size_up=1000). "
         "cycle_momentum (default) cycles the momentum between 0.8 and 0.9: PyTorch's values."),
     optimizer=SGD_01_M09,
     scheduler=sched("CyclicLR", base_lr=0.001, max_lr=0.1, step_size_up=1000, mode="triangular"),
     script=[{"op": "step", "repeat": 2000}],
     values=[V(0, "LR", "0.001", "stated"), V(1000, "LR", "0.1", "stated"),
             V(2000, "LR", "0.001", "stated")])

# ------------------------------------------------------- prose-only findings
#
# Discrepancies that are not a number in a record (the record-level ones are
# declared with `cause=` above and listed from there).

PROSE_DISCREPANCIES = [
    (D0, "4.3. Your code applies ConstantLR per epoch, not per batch",
     "'It warms up for 5 epochs / Then normal LR for the remaining 95 epochs'",
     "The cell's loop runs `epochs = 20`, so 15 epochs remain, not 95. The 5/95 split is what "
     "PyTorch does for a 100-epoch run (golden constantlr-100-epochs); the text was written for a "
     "100-epoch run."),
    (D0, "4. ConstantLR Schedules",
     "Output shows 'Epoch 1' ... 'Epoch 8' only",
     "The loop runs 20 epochs; the printed output is truncated after epoch 8 (not a value "
     "discrepancy; the golden has the 8 printed steps)."),
    (D0, "4.1. Why your LR starts at 0.00033",
     "'During the first 5 scheduler.step() calls: lr = base_lr * factor'",
     "Read literally (LR after each of the first 5 calls) this is off by one: PyTorch applies the "
     "factor for last_epoch 0-4, i.e. at construction and after the first 4 calls; after the 5th "
     "call the LR is already 0.001, as the same section ('Epoch 5: 0.001 again') and the table "
     "say. The golden follows PyTorch and the table."),
    (D0, "5.2. What triggers the LR reduction?",
     "'Improvement means current < best - epsilon ... epsilon = eps parameter (default eps=1e-8)'",
     "PyTorch's improvement test uses `threshold` (default 1e-4, threshold_mode='rel': current < "
     "best * (1 - 1e-4) for mode='min'); `eps` (1e-8) is the minimal LR decay below which an update "
     "is skipped. The cell's own debug print `improved = current < best - eps` therefore does not "
     "show what the scheduler decides (it agrees on this val_losses list only because no step "
     "improves by less than 0.01%). Observable consequence: golden "
     "reducelronplateau-improvement-example."),
    (D0, "5. ReduceLROnPlateau Scheduler",
     "code comment 'patience=5, # reduce LR after 5 bad epochs'",
     "PyTorch reduces when num_bad_epochs > patience, i.e. on the 6th bad epoch: with the "
     "val_losses, epochs 13-18 are bad and the LR drops to 1e-4 at epoch 18 (then 1e-5 at 24, 1e-6 "
     "at 30). Declared at record 18 (epoch 17) of reducelronplateau-val-losses."),
    (D4, "Visualizing the Learning Rate Schedules",
     "'Cosine Annealing (orange): Smoothly decreases from 0.1 to 0.001 over 10 epochs, then restarts.'",
     "The code's CosineAnnealingLR(T_max=20, eta_min=0.001) has no restart in 20 epochs (it would "
     "only climb back after epoch 20, smoothly); the chart was evidently drawn with a 10-epoch "
     "period. Declared at record 10 of cosine-chart."),
]

# Points the README notes about interpretation (not discrepancies).
NOTES = [
    (D2, "1. Step Decay",
     "'Epochs 0-30: 0.1 / 30-60: 0.01 / 60-90: 0.001' overlap at 30 and 60; read half-open, which "
     "the formula floor(t/s) and 'Decay: ÷10 at epochs 30, 60, 90' require."),
    (D2, "5. Warmup + Decay (Transformers)",
     "'t < warmup: linear increase (eta ∝ t)': the document's code clamps step to >= 1, so "
     "eta(0) = eta(1) ≠ 0; proportionality holds from t = 1. The golden follows the code."),
    (D3, "Quick experiment on toy data (uses the custom schedulers)",
     "The from-scratch closed form and PyTorch's recursive CosineAnnealingLR print identical "
     "6-decimal tables; they differ by less than 1e-16 in every record (checked)."),
]

NOT_TRANSCRIBED = [
    (D0, "2. Setup / 3.1 / 4 / 5 cells",
     "Training losses and model outputs: not schedule values. The ReduceLROnPlateau cell's debug "
     "prints (best, eps, condition, LR) are not shown in the document; its schedule is in "
     "reducelronplateau-val-losses with PyTorch's values."),
    (D0, "3.4 The key reason your LR “becomes zero”",
     "'any value < 0.000005 will print as 0.00000': a fact about Python's :.5f formatting."),
    (D0, "10. When should you choose which? (comparison cell)",
     "Nine of the ten schedules of the 200-step comparison cell (StepLR(40, 0.5), "
     "CosineAnnealingLR(200, 1e-6), ReduceLROnPlateau on a sine-shaped fake loss, ExponentialLR(0.97), "
     "PolynomialLR(200, power=2), OneCycleLR(1e-2, total_steps=200), CyclicLR(1e-4, 1e-2, 50, "
     "cycle_momentum=False), LinearLR(1e-3, total_iters=200) from lr 1e-6, LambdaLR(1/np.sqrt(epoch+1))) "
     "are only plotted, and section 11 describes their shapes without numbers: no printed value to "
     "transcribe. Only the Warmup+Cosine block is a golden (asked for as a recipe; checked against "
     "the 9.1 equation)."),
    (D0, "12. Weight Decay, 13.",
     "0.9998, 9.99, -9.99 and the recommended weight decays are optimizer arithmetic, not schedule "
     "output (and the corpus leaves gradient traces out for now). For the record: PyTorch's "
     "weight_decay=λ adds λ·w to the gradient (penalty λ/2·‖w‖²), so the document's factor 1 - 2λη = "
     "0.9998 corresponds to SGD weight_decay=2λ; AdamW(lr=0.1, weight_decay=0.01) does give "
     "w·(1 - 0.001) = 9.99 for w = 10."),
    (D0, "6. Linear Warmup, 7. Cosine Annealing, 11.",
     "Formulas without parameters (no schedule values)."),
    ("001", "whole document",
     "It prints no schedule values: StepLR(step_size=30, gamma=0.1), ExponentialLR(gamma=0.95), "
     "CosineAnnealingLR(T_max=100), CyclicLR(base_lr, max_lr, step_size_up=2000) and "
     "OneCycleLR(max_lr, total_steps) appear as constructor calls without an initial LR (or with "
     "symbolic bounds) and without output; the formulas have no numbers. No golden."),
    (D2, "Mathematical Foundation; 2.-4., 6., 7.",
     "Robbins-Monro examples (1/t, 1/√t), 'γ = 0.95 to 0.99', polynomial, linear-decay and one-cycle "
     "formulas: no parameters that pin a schedule, no values."),
    (D2, "PyTorch Schedulers",
     "StepLR(30, 0.1), ExponentialLR(0.95), CosineAnnealingLR(100, 1e-6), OneCycleLR(0.01, epochs=100, "
     "steps_per_epoch=len(dataloader)) on Adam(lr=0.001): no output; OneCycleLR's steps_per_epoch is "
     "unknown."),
    (D2, "NLP (BERT, GPT); Fine-tuning; Reinforcement Learning",
     "Ranges of peak LRs and warmup fractions without step counts (GPT's warmup is in tokens): no "
     "schedule can be pinned without inventing the length."),
    (D2, "Advanced Topics",
     "LR range test (manual LR multiplication, no scheduler, no output) and layer-wise LRs (an "
     "optimizer configuration)."),
    (D3, "Step Decay — from scratch (short recap)",
     "The StepDecayLR class is defined but its use is commented out; nothing printed."),
    (D4, "Code Example in PyTorch; Key Differences; Tips",
     "The training output (loss and LR per epoch) is not shown; '~938 batches per epoch' is dataset "
     "arithmetic; the other statements repeat the numbers transcribed from the chart explanation."),
]

# ------------------------------------------------------------------- building


def rel_path(c) -> str:
    return os.path.join(OUT_DIR, DOCS[c["doc"]]["slug"], c["file"] + ".json")


def golden_name(c) -> str:
    return f"Document/{DOCS[c['doc']]['slug']}/{c['title']}"


def tolerance_of(c) -> dict:
    if "formula_tolerance" in c:
        return dict(c["formula_tolerance"])
    units = [half_unit(v.text) for v in c.get("values", []) if not is_int_text(v.text)]
    if c.get("print_format"):
        units.append(half_unit("0." + "0" * int(c["print_format"].strip(".f"))))
    return {"abs": min(units)}


def make_spec(c) -> dict:
    spec = {
        "format": G.FORMAT,
        "name": golden_name(c),
        "description": c["description"],
        "optimizer": copy.deepcopy(c["optimizer"]),
        "scheduler": copy.deepcopy(c["scheduler"]),
        "script": copy.deepcopy(c["script"]),
        "tolerance": tolerance_of(c),
    }
    return spec


def within(a, b, tol: dict) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, int) and isinstance(b, int):
        return a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        a, b = float(a), float(b)
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        if "abs" in tol:
            return a == b or abs(a - b) <= tol["abs"]
        return a == b  # {"ulps": 0}
    return a == b


def paths_for(key, multi: bool):
    if key == "LR":
        if multi:
            raise AssertionError("LR values on a scheduler array: say which scheduler")
        return [("lr", 0), ("last_lr", 0)]
    return [tuple(key)]


def get_path(rec: dict, path):
    x = rec
    for p in path:
        x = x[p]
    return x


def set_path(rec: dict, path, value):
    x = rec
    for p in path[:-1]:
        x = x[p]
    x[path[-1]] = value


def build(c):
    """Return (golden, discrepancies, problems) for one case."""
    spec = make_spec(c)
    G.validate_spec(spec)
    trace, error = G.Run(spec).trace()
    problems = []
    if error is not None or any("error" in r for r in trace):
        problems.append(f"{c['file']}: PyTorch raised: {error or trace[-1]}")
        return None, [], problems
    torch_trace = copy.deepcopy(trace)
    tol = spec["tolerance"]
    multi = isinstance(spec["scheduler"], list)
    discrepancies = []
    for v in c.get("values", []):
        if v.rec >= len(trace):
            problems.append(f"{c['file']}: record {v.rec} beyond the trace ({len(trace)} records)")
            continue
        doc_value = int(v.text) if is_int_text(v.text) else float(v.text)
        for path in paths_for(v.key, multi):
            torch_value = get_path(trace[v.rec], path)
            if isinstance(torch_value, float) and isinstance(doc_value, int):
                doc_value = float(doc_value)
            agrees = within(doc_value, torch_value, tol)
            if agrees and v.cause is None:
                set_path(trace[v.rec], path, doc_value)
            elif not agrees and v.cause is not None:
                if path[0] != "last_lr":  # one discrepancy per record for LR (lr and last_lr agree)
                    discrepancies.append({
                        "doc": c["doc"], "section": c["section"], "file": c["file"],
                        "record": v.rec, "field": "lr / last_lr" if v.key == "LR" else ".".join(path),
                        "document": v.text, "how": v.how, "pytorch": torch_value, "cause": v.cause,
                    })
            elif agrees:
                problems.append(f"{c['file']}: record {v.rec} {path}: declared discrepancy, but the "
                                f"document's {v.text} agrees with PyTorch's {torch_value!r}")
            else:
                problems.append(f"{c['file']}: record {v.rec} {path}: the document's {v.text} is not "
                                f"PyTorch's {torch_value!r} within {tol} (undeclared discrepancy)")
    if "oracle" in c:
        otol = c.get("oracle_tolerance", tol)
        worst = 0.0
        for t, rec in enumerate(torch_trace):
            want = c["oracle"](t)
            got = rec["lr"][0]
            worst = max(worst, abs(got - want))
            if not within(got, want, otol):
                problems.append(f"{c['file']}: record {t}: PyTorch {got!r} vs the document's formula "
                                f"{want!r} (tolerance {otol})")
                break
        c["_oracle_worst"] = worst
    golden = dict(spec)
    golden["source"] = {"kind": "document", "document": DOCS[c["doc"]]["file"], "section": c["section"]}
    golden["trace"] = trace
    return golden, discrepancies, problems


# ------------------------------------------------------------------- checking


def compare(expected, got, tol, where, out):
    """Compare a recorded value with a fresh PyTorch value per the format's rules."""
    if len(out) >= 5:
        return
    if isinstance(expected, dict):
        if not isinstance(got, dict) or set(expected) != set(got):
            out.append(f"{where}: keys {sorted(expected) if isinstance(expected, dict) else expected} "
                       f"vs {sorted(got) if isinstance(got, dict) else got}")
            return
        for k in expected:
            compare(expected[k], got[k], tol, f"{where}.{k}", out)
    elif isinstance(expected, list):
        if not isinstance(got, list) or len(expected) != len(got):
            out.append(f"{where}: length {len(expected)} vs {len(got) if isinstance(got, list) else got}")
            return
        for i, (a, b) in enumerate(zip(expected, got)):
            compare(a, b, tol, f"{where}[{i}]", out)
    elif isinstance(expected, (int, float)) and not isinstance(expected, bool) \
            and isinstance(got, (int, float)) and not isinstance(got, bool):
        if isinstance(expected, int) and isinstance(got, int):
            ok = expected == got
        else:
            ok = within(float(expected), float(got), tol)
        if not ok:
            out.append(f"{where}: recorded {expected!r}, PyTorch {got!r} (tolerance {tol})")
    elif expected != got or type(expected) is not type(got):
        out.append(f"{where}: recorded {expected!r}, PyTorch {got!r}")


def verify_on_disk(path: str) -> list:
    """Re-run the spec stored in a golden file through PyTorch; compare every value."""
    with open(path, encoding="utf-8") as f:
        golden = json.load(f)
    spec = {k: v for k, v in golden.items() if k not in G.GOLDEN_ONLY_KEYS}
    G.validate_spec(spec)
    trace, error = G.Run(spec).trace()
    out = []
    if error is not None:
        return [f"{path}: PyTorch raised {error}"]
    tol = golden.get("tolerance", {"ulps": 0})
    if len(trace) != len(golden["trace"]):
        return [f"{path}: {len(golden['trace'])} records, PyTorch {len(trace)}"]
    for i, (a, b) in enumerate(zip(golden["trace"], trace)):
        compare(a, b, tol, f"{path}: record {i}", out)
    return out


def check_sections(seeds: str) -> list:
    """Every quoted section heading occurs in its document (markdown emphasis stripped)."""
    problems = []
    texts = {}
    for key, d in DOCS.items():
        p = os.path.join(seeds, d["file"])
        if not os.path.exists(p):
            problems.append(f"seed document {p} not found")
            continue
        with open(p, encoding="utf-8", errors="replace") as f:
            texts[key] = f.read().replace("**", "").replace("*", "")
    for c in CASES:
        if c["doc"] in texts and c["section"].replace("*", "") not in texts[c["doc"]]:
            problems.append(f"{c['file']}: section {c['section']!r} not found in {DOCS[c['doc']]['file']}")
    return problems


# --------------------------------------------------------------------- README


def fmt_tol(t: dict) -> str:
    return f"abs {t['abs']!r}" if "abs" in t else f"{t['ulps']} ULP"


def ranges(nums):
    nums = sorted(set(nums))
    out, start, prev = [], None, None
    for n in nums:
        if start is None:
            start = prev = n
        elif n == prev + 1:
            prev = n
        else:
            out.append((start, prev))
            start = prev = n
    if start is not None:
        out.append((start, prev))
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in out)


def transcription_summary(c) -> str:
    # Runs of consecutive values with the same field, kind and verdict; a run of
    # one repeated value prints as "records a-b: field = `v`", a printed column
    # of different values as "records a-b: field = `first` ... `last` (n values)".
    runs = []
    for v in c.get("values", []):
        key = "LR" if v.key == "LR" else ".".join(v.key)
        tag = (key, v.how, v.cause is not None)
        last = runs[-1] if runs else None
        const = bool(last) and len(set(last["texts"])) == 1
        if last and last["tag"] == tag and v.rec == last["recs"][-1] + 1 and (
                (const and (v.text == last["texts"][0] or len(last["texts"]) == 1))
                or (not const and v.text != last["texts"][-1])):
            last["recs"].append(v.rec)
            last["texts"].append(v.text)
        else:
            runs.append({"tag": tag, "recs": [v.rec], "texts": [v.text]})
    # merge runs of one repeated value that recur at other records (e.g. records 0 and 2000)
    merged = []
    for r in runs:
        same = [m for m in merged if m["tag"] == r["tag"] and set(m["texts"]) == set(r["texts"])
                and len(set(r["texts"])) == 1]
        if same:
            same[0]["recs"] += r["recs"]
        else:
            merged.append(r)
    parts = []
    for r in merged:
        key, how, disc = r["tag"]
        field = "lr/last_lr" if key == "LR" else key
        flag = " — **disagrees, PyTorch's value kept**" if disc else ""
        word = "record" if len(r["recs"]) == 1 else "records"
        if len(set(r["texts"])) == 1:
            val = f"`{r['texts'][0]}`"
        else:
            val = f"`{r['texts'][0]}` … `{r['texts'][-1]}` ({len(r['texts'])} values)"
        parts.append(f"{word} {ranges(r['recs'])}: {field} = {val} ({how}){flag}")
    if "oracle" in c:
        parts.append(f"all records: PyTorch's values, checked against the document's "
                     f"{'function' if 'ulps' in c.get('formula_tolerance', {}) else 'formula'} "
                     f"(largest difference {c['_oracle_worst']!r})")
    if not c.get("values") and "oracle" not in c:
        parts.append("no value shown in the document: PyTorch's values, tolerance = the cell's "
                     f"`{c.get('print_format')}` print precision")
    elif c.get("print_format"):
        parts.append("the cell's output is not shown: every other value is PyTorch's, tolerance = "
                     f"the cell's `{c['print_format']}` print precision")
    return "; ".join(parts)


def readme(all_discrepancies) -> str:
    L = []
    L.append("# Document goldens\n")
    L.append(
        "Goldens transcribed from the five seed documents (LR-schedule tutorials). Project rule: "
        "every number the documents print that a schedule produces is a test case. Each file is an "
        "`anneal-trace/1` golden with `\"source\": {\"kind\": \"document\", \"document\": FILE, "
        "\"section\": HEADING}`.\n")
    L.append("Generated, never edited by hand:\n")
    L.append("```sh\npython Scripts/document_goldens.py          # writes Golden/Documents/** and this README\n"
             "python Scripts/document_goldens.py --check  # verifies them (exit 1 on any problem)\n```\n")
    L.append(
        "The numbers are held inline in `Scripts/document_goldens.py`, each table with a comment quoting "
        "the document. The script builds each spec, runs it through PyTorch 2.13.0 (CPU) with "
        "`Scripts/goldens.py` (so every record has exactly the keys of a PyTorch golden), and then:\n")
    L.append(
        "- puts the document's value, as the document writes it (e.g. `0.00033`, `1e-4`), in the fields "
        "it prints — `lr[0]` and `last_lr[0]` for an LR, `last_epoch`, or a key of a `state_dict` "
        "record for a printed attribute — when PyTorch agrees within the tolerance;\n"
        "- keeps PyTorch's value where the document disagrees (listed under *Discrepancies*, each "
        "declared in the script with its cause: an undeclared disagreement is an error);\n"
        "- leaves every field and record the document does not print at PyTorch's value;\n"
        "- for recipes the document gives only as a formula or as code, checks PyTorch's values "
        "against the document's own formula/function.\n")
    L.append("**Tolerance.** `abs` = half a unit of the last digit of the finest number the golden "
             "transcribes (`0.00100` → 5e-06, `0.099391` → 5e-07, `1e-10` → 5e-11), so every "
             "transcribed number is checked at least to its printed precision. Where the document "
             "shows no output, the precision its code prints with (`:.6f` → 5e-07). Where it gives "
             "only a formula: `abs` 1e-15 for closed-form formulas (PyTorch computes recursively; "
             "this only absorbs rounding), 0 ULP where the document's own Python function is "
             "evaluated with the same operations as the LambdaLR expression (bit-identical).\n")
    L.append("**Records.** Record 0 is the state right after construction, record k the state after "
             "the k-th op (`step` = `optimizer.step()` then `scheduler.step()`). Tutorials print "
             "after `scheduler.step()`, so their 'Epoch k' line is record k; each golden's "
             "`description` states its mapping.\n")
    L.append("`--check` regenerates everything in memory and compares it with the files, re-runs "
             "every golden's spec (read back from disk) through PyTorch and compares each recorded "
             "value within the golden's tolerance, and checks that each `section` heading occurs in its "
             "document. (Each tolerance is derived from the transcribed numbers themselves, so it "
             "cannot drift from the printed precision.)\n")
    L.append("Note for `Scripts/goldens.py`: a full run walks `Golden/` for stale files and will "
             "report these files as \"stale golden (no spec)\" (report only; nothing is deleted).\n")

    L.append("## Documents\n")
    L.append("| slug | file | content | goldens |")
    L.append("| --- | --- | --- | --- |")
    for key, d in DOCS.items():
        n = sum(1 for c in CASES if c["doc"] == key)
        L.append(f"| `{d['slug']}` | `{d['file']}` | {d['title']} | {n} |")
    L.append("")

    L.append("## Goldens\n")
    L.append("| file | document | section | what it checks | tolerance |")
    L.append("| --- | --- | --- | --- | --- |")
    for c in CASES:
        rp = os.path.relpath(rel_path(c), OUT_DIR)
        L.append(f"| `{rp}` | `{DOCS[c['doc']]['file']}` | {c['section']} | {c['checks']} | "
                 f"{fmt_tol(tolerance_of(c))} |")
    L.append("")

    L.append("## What was transcribed from where\n")
    for c in CASES:
        rp = os.path.relpath(rel_path(c), OUT_DIR)
        L.append(f"- `{rp}` ({DOCS[c['doc']]['file']}, \"{c['section']}\"): {transcription_summary(c)}.")
    L.append("")

    L.append("## Discrepancies\n")
    L.append("Where the document's number is not what PyTorch 2.13 does for the document's code "
             "(beyond the printed precision), the golden holds PyTorch's value.\n")
    L.append("| document | section | golden, record | field | document says | PyTorch 2.13 | likely cause |")
    L.append("| --- | --- | --- | --- | --- | --- | --- |")
    merged = {}
    for d in all_discrepancies:
        k = (d["doc"], d["file"], d["field"], d["document"], d["cause"])
        merged.setdefault(k, []).append(d)
    for (doc, file, field, text, cause), ds in merged.items():
        pyt = sorted({repr(d["pytorch"]) for d in ds})
        L.append(f"| `{DOCS[doc]['file']}` | {ds[0]['section']} | `{file}` {ranges([d['record'] for d in ds])} "
                 f"| {field} | `{text}` ({ds[0]['how']}) | {', '.join(pyt)} | {cause} |")
    L.append("")
    L.append("Other disagreements and inconsistencies in the text:\n")
    for doc, section, quote, cause in PROSE_DISCREPANCIES:
        L.append(f"- `{DOCS[doc]['file']}`, \"{section}\": {quote} — {cause}")
    L.append("")
    L.append("Interpretation notes (no disagreement with PyTorch):\n")
    for doc, section, note in NOTES:
        L.append(f"- `{DOCS[doc]['file']}`, \"{section}\": {note}")
    L.append("")

    L.append("## Not transcribed\n")
    for doc, section, why in NOT_TRANSCRIBED:
        L.append(f"- `{DOCS[doc]['file']}`, {section}: {why}")
    L.append("")
    return "\n".join(L)


# ----------------------------------------------------------------------- main


def generate():
    files, all_disc, problems = {}, [], []
    names = set()
    for c in CASES:
        if golden_name(c) in names:
            problems.append(f"duplicate name {golden_name(c)}")
        names.add(golden_name(c))
        golden, disc, probs = build(c)
        problems += probs
        all_disc += disc
        if golden is not None:
            files[rel_path(c)] = G.dumps(golden)
    files[os.path.join(OUT_DIR, "README.md")] = readme(all_disc)
    return files, all_disc, problems


def existing_files() -> set:
    out = set()
    root = os.path.join(ROOT, OUT_DIR)
    for dirpath, dirnames, filenames in os.walk(root):
        for f in filenames:
            out.add(os.path.relpath(os.path.join(dirpath, f), ROOT))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="verify, write nothing")
    ap.add_argument("--seeds", default=DEFAULT_SEEDS, help="seed documents (default: %(default)s)")
    args = ap.parse_args(argv)
    if G.TORCH_VERSION != G.REFERENCE_VERSION:
        print(f"document_goldens.py: PyTorch {G.REFERENCE_VERSION} required, found {G.TORCH_VERSION}",
              file=sys.stderr)
        return 2

    files, disc, problems = generate()
    if problems:
        for p in problems:
            print(f"document_goldens.py: {p}", file=sys.stderr)
        return 1

    if not args.check:
        written = 0
        for rel, text in files.items():
            path = os.path.join(ROOT, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            old = None
            if os.path.exists(path):
                with open(path, encoding="utf-8") as f:
                    old = f.read()
            if old != text:
                with open(path, "w", encoding="utf-8", newline="\n") as f:
                    f.write(text)
                written += 1
        stray = sorted(existing_files() - set(files))
        for p in stray:
            print(f"document_goldens.py: stray file (not generated): {p}", file=sys.stderr)
        n = len(files) - 1
        print(f"document goldens: {n} goldens + README -> {OUT_DIR} ({written} written, "
              f"{len(files) - written} unchanged); {len(disc)} discrepancies kept at PyTorch's value")
        return 0

    # --check
    failures = list(check_sections(args.seeds))
    for rel, text in files.items():
        path = os.path.join(ROOT, rel)
        if not os.path.exists(path):
            failures.append(f"{rel}: missing")
            continue
        with open(path, encoding="utf-8") as f:
            if f.read() != text:
                failures.append(f"{rel}: differs from what the script generates")
    for p in sorted(existing_files() - set(files)):
        failures.append(f"{p}: stray file (not generated)")
    for c in CASES:
        failures += verify_on_disk(os.path.join(ROOT, rel_path(c)))
    for f in failures:
        print(f"document_goldens.py --check: {f}", file=sys.stderr)
    n_values = sum(len(c.get("values", [])) for c in CASES)
    status = "FAILED" if failures else "ok"
    print(f"document goldens --check: {status}: {len(CASES)} goldens, {n_values} document values "
          f"({len(disc)} declared discrepancies), every record re-run through PyTorch "
          f"{G.TORCH_VERSION}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
