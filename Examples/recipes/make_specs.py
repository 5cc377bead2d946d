#!/usr/bin/env python3
"""Write the two recipe specs (format anneal-trace/1) of Examples/recipes/.

    python Examples/recipes/make_specs.py

- hf-trainer-cosine.json: a Hugging Face Trainer run with
  `TrainingArguments(learning_rate=5e-5, lr_scheduler_type="cosine",
  warmup_ratio=0.1, weight_decay=0.01)` over 1,000 optimizer steps. The
  Trainer builds AdamW over the model and `get_scheduler("cosine", optimizer,
  num_warmup_steps=ceil(0.1 * 1000), num_training_steps=1000)`, and calls
  `lr_scheduler.step()` after every optimizer step.
- timm-imagenet-cosine.json: timm's ImageNet recipe (`train.py --sched cosine
  --sched-on-updates --warmup-epochs 5 --warmup-lr 1e-5 --min-lr 1e-6`), shrunk
  to 30 epochs of 20 updates: SGD with Nesterov momentum, and
  `CosineLRScheduler(t_initial=30*20, lr_min=1e-6, warmup_t=5*20,
  warmup_lr_init=1e-5, t_in_epochs=False)` as timm's `create_scheduler_v2`
  builds it for updates. train.py calls `step_update(num_updates)` after
  every optimizer step and `step(epoch + 1)` at the end of each epoch.

The goldens next to them (golden/) come from the real packages:
`Scripts/goldens.py --specs Examples/recipes/specs --out Examples/recipes/golden`.
"""

import json
import math
import os

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "specs")


def write(name, spec):
    with open(os.path.join(HERE, name), "w", encoding="utf-8", newline="\n") as f:
        json.dump(spec, f, indent=1)
        f.write("\n")


training_steps = 1000
write("hf-trainer-cosine.json", {
    "format": "anneal-trace/1",
    "name": "recipes/hf-trainer-cosine",
    "description": "Hugging Face Trainer: lr_scheduler_type='cosine', warmup_ratio=0.1, learning_rate=5e-5, 1,000 steps.",
    "optimizer": {"type": "AdamW", "options": {"lr": 5e-5, "weight_decay": 0.01}, "param_groups": [{}]},
    "scheduler": {"type": "transformers.get_scheduler", "args": {
        "name": "cosine", "num_warmup_steps": math.ceil(0.1 * training_steps),
        "num_training_steps": training_steps}},
    "script": [{"op": "step", "repeat": training_steps}],
})

epochs, updates_per_epoch = 30, 20
script = []
num_updates = 0
for epoch in range(epochs):
    for _ in range(updates_per_epoch):
        num_updates += 1
        script.append({"op": "step_update", "num_updates": num_updates})
    script.append({"op": "scheduler_step", "epoch": epoch + 1})
write("timm-imagenet-cosine.json", {
    "format": "anneal-trace/1",
    "name": "recipes/timm-imagenet-cosine",
    "description": "timm train.py --sched cosine --sched-on-updates --warmup-epochs 5, 30 epochs of 20 updates.",
    "optimizer": {"type": "SGD", "options": {"lr": 0.4, "momentum": 0.9, "nesterov": True, "weight_decay": 2e-5},
                  "param_groups": [{}]},
    "scheduler": {"type": "timm.CosineLRScheduler", "args": {
        "t_initial": epochs * updates_per_epoch, "lr_min": 1e-6, "warmup_t": 5 * updates_per_epoch,
        "warmup_lr_init": 1e-5, "t_in_epochs": False}},
    "script": script,
})
