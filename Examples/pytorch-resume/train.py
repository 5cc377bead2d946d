"""Step 1 of the README's story: train the first seed document's model in
PyTorch for 5 epochs and save it as PyTorch's tutorials do.

    python Examples/pytorch-resume/train.py ckpt.pt
"""
import sys

import torch

from model import Net, batches

torch.manual_seed(0)
model = Net()
optimizer = torch.optim.AdamW(model.parameters(), lr=0.01, weight_decay=0.05)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=3, gamma=0.5)
for epoch in range(5):
    for x, y in batches():
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()
    scheduler.step()
    print(f"Epoch {epoch + 1}: LR = {scheduler.get_last_lr()[0]:.5f}")
torch.save({"epoch": 5, "model": model.state_dict(), "optimizer": optimizer.state_dict(),
            "scheduler": scheduler.state_dict()}, sys.argv[1])
