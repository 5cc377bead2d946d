"""Step 3 of the README's story: PyTorch continues from the torch.save file
`anneal train --save-torch` wrote, with plain load_state_dict.

    python Examples/pytorch-resume/resume.py out/checkpoint-00000080.pt 10
"""
import sys

import torch

from model import Net, batches

state = torch.load(sys.argv[1], weights_only=True)
model = Net()
optimizer = torch.optim.AdamW(model.parameters(), lr=0.01, weight_decay=0.05)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=3, gamma=0.5)
model.load_state_dict(state["model"])
optimizer.load_state_dict(state["optimizer"])
scheduler.load_state_dict(state["scheduler"])
for epoch in range(state["epoch"], int(sys.argv[2])):
    for x, y in batches():
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()
    scheduler.step()
    print(f"Epoch {epoch + 1}: LR = {scheduler.get_last_lr()[0]:.5f}")
