"""A real Hugging Face Trainer run of the first seed document's model (what
`anneal train --model seed1` trains: fc1, fc2, fc3 with ReLUs, sin(x) + x^2
for x = 0, 0.5, ..., 9.5, batches of 2), for the fixtures and checks of
`anneal train --resume checkpoint-N/`.

    python Scripts/hf_trainer_run.py OUT_DIR [--resume CHECKPOINT_DIR]

Trains 5 epochs with AdamW (lr 0.01, weight_decay 0.05) and transformers'
cosine schedule (5 warmup steps of 50), saving a checkpoint after every
epoch; no gradient clipping (`max_grad_norm=0`: Anneal's trainer does not
clip). With --resume, continues a checkpoint directory as
`Trainer.train(resume_from_checkpoint=...)` does.
"""
import argparse
import os
import sys
import warnings

warnings.simplefilter("ignore")

import torch  # noqa: E402
from transformers import Trainer, TrainingArguments  # noqa: E402

# The spec `anneal train` is given for this run.
SPEC = {"optimizer": {"type": "AdamW", "options": {"lr": 0.01, "weight_decay": 0.05}},
        "scheduler": {"type": "transformers.get_scheduler",
                      "args": {"name": "cosine", "num_warmup_steps": 5, "num_training_steps": 50}}}
EPOCHS = 5


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = torch.nn.Linear(1, 32)
        self.fc2 = torch.nn.Linear(32, 10)
        self.fc3 = torch.nn.Linear(10, 1)

    def forward(self, x, labels=None):
        out = torch.relu(self.fc3(torch.relu(self.fc2(torch.relu(self.fc1(x))))))
        return {"loss": torch.nn.functional.mse_loss(out, labels) if labels is not None else None, "logits": out}


class Data(torch.utils.data.Dataset):
    def __init__(self):
        self.x = torch.arange(start=0, end=10, step=0.5).reshape(-1, 1)
        self.y = torch.sin(self.x) + self.x ** 2

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"x": self.x[i], "labels": self.y[i]}


def run(output_dir: str, resume: str | None = None) -> Trainer:
    torch.manual_seed(0)
    args = TrainingArguments(
        output_dir=output_dir, per_device_train_batch_size=2, num_train_epochs=EPOCHS, learning_rate=0.01,
        weight_decay=0.05, lr_scheduler_type="cosine", warmup_steps=5, save_strategy="epoch", report_to=[],
        use_cpu=True, logging_steps=10, seed=0, disable_tqdm=True, max_grad_norm=0.0, optim="adamw_torch",
        log_level="error")
    trainer = Trainer(model=Net(), args=args, train_dataset=Data())
    trainer.train(resume_from_checkpoint=resume)
    return trainer


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out")
    ap.add_argument("--resume")
    a = ap.parse_args()
    run(a.out, a.resume)
