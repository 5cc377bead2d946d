"""The first seed document's model and data (what `anneal train --model seed1` trains)."""
import torch


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = torch.nn.Linear(1, 32)
        self.fc2 = torch.nn.Linear(32, 10)
        self.fc3 = torch.nn.Linear(10, 1)

    def forward(self, x):
        return torch.relu(self.fc3(torch.relu(self.fc2(torch.relu(self.fc1(x))))))


def batches():
    x = torch.arange(start=0, end=10, step=0.5).reshape(-1, 1)
    y = torch.sin(x) + x ** 2
    for start in range(0, len(x), 2):
        yield x[start:start + 2], y[start:start + 2]
