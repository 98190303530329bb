#!/usr/bin/env python3
"""Peer benchmark for `clipsim-replay --bench`: PS-Clip-SGD with the usual PyTorch recipe for
per-sample gradients (torch.func: vmap over grad, every per-sample gradient instantiated), on the
same CIFAR AlexNet (bearpaw/pytorch-classification models/cifar/alexnet.py, 100 classes), batch
128, float32 with TF32 allowed on CUDA, against a plain SGD step (autograd backward). Prints the
median step times and the ratio PS-Clip / SGD, timed interleaved like the C++ bench.

Needs PyTorch >= 2.0 (torch.func). Usage:
    python3 replay/bench/per_sample_vmap.py [--batch 128] [--steps 20] [--warmup 3] [--device auto]
"""
import argparse
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.func import functional_call, grad, vmap


class AlexNetCifar(nn.Module):
    """The same layers as replay/include/clipsim/replay/alexnet.hpp."""

    def __init__(self, num_classes=100):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 64, kernel_size=11, stride=4, padding=5), nn.ReLU(),
            nn.MaxPool2d(kernel_size=2, stride=2),
            nn.Conv2d(64, 192, kernel_size=5, padding=2), nn.ReLU(),
            nn.MaxPool2d(kernel_size=2, stride=2),
            nn.Conv2d(192, 384, kernel_size=3, padding=1), nn.ReLU(),
            nn.Conv2d(384, 256, kernel_size=3, padding=1), nn.ReLU(),
            nn.Conv2d(256, 256, kernel_size=3, padding=1), nn.ReLU(),
            nn.MaxPool2d(kernel_size=2, stride=2),
        )
        self.classifier = nn.Linear(256, num_classes)

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), 1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    device = torch.device("cuda" if args.device == "cuda" or
                          (args.device == "auto" and torch.cuda.is_available()) else "cpu")
    torch.manual_seed(args.seed)
    if device.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
        torch.backends.cudnn.benchmark = True

    b = args.batch
    x = torch.randn(b, 3, 32, 32, device=device)
    y = torch.randint(0, 100, (b,), device=device)
    models = {name: AlexNetCifar().to(device) for name in ("sgd", "ps-clip-sgd (vmap)")}
    optimizers = {name: torch.optim.SGD(m.parameters(), lr=1e-3, momentum=0.9, weight_decay=5e-4)
                  for name, m in models.items()}

    def sync():
        if device.type == "cuda":
            torch.cuda.synchronize()

    def sgd_step():
        model, opt = models["sgd"], optimizers["sgd"]
        opt.zero_grad(set_to_none=True)
        F.cross_entropy(model(x), y).backward()
        opt.step()

    ps_model = models["ps-clip-sgd (vmap)"]

    def loss_one(params, xi, yi):
        out = functional_call(ps_model, params, (xi.unsqueeze(0),))
        return F.cross_entropy(out, yi.unsqueeze(0))

    per_sample_grads = vmap(grad(loss_one), in_dims=(None, 0, 0))
    positions = torch.arange(1, b + 1, device=device, dtype=torch.float32)
    clip_scale, clip_power = 1.0, 2.0  # the thresholds do not change the work done

    def ps_step():
        opt = optimizers["ps-clip-sgd (vmap)"]
        params = {k: v.detach() for k, v in ps_model.named_parameters()}
        g = per_sample_grads(params, x, y)
        norms = torch.sqrt(sum(t.flatten(1).pow(2).sum(1) for t in g.values()))
        gamma = (clip_scale * positions.pow(1.0 / clip_power) / norms).clamp(max=1.0) / b
        for name, p in ps_model.named_parameters():
            p.grad = torch.tensordot(gamma, g[name], dims=1)
        opt.step()

    steps = {"sgd": sgd_step, "ps-clip-sgd (vmap)": ps_step}
    times = {name: [] for name in steps}
    for s in range(args.warmup + args.steps):
        for name, step in steps.items():
            sync()
            start = time.perf_counter()
            step()
            sync()
            if s >= args.warmup:
                times[name].append(1e3 * (time.perf_counter() - start))

    label = torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu (%d threads)" % torch.get_num_threads()
    print("per_sample_vmap.py: AlexNet-CIFAR, batch %d, float32, device %s, PyTorch %s" %
          (b, label, torch.__version__))
    print("median of %d steps after %d warm-up steps, rows interleaved" % (args.steps, args.warmup))
    print("%-20s %11s %11s %11s" % ("method", "median ms", "q25 ms", "q75 ms"))
    medians = {}
    for name, t in times.items():
        q = statistics.quantiles(t, n=4) if len(t) > 1 else [t[0]] * 3
        medians[name] = statistics.median(t)
        print("%-20s %11.3f %11.3f %11.3f" % (name, medians[name], q[0], q[2]))
    print("PS-Clip (vmap) / SGD: %.3f" % (medians["ps-clip-sgd (vmap)"] / medians["sgd"]))


if __name__ == "__main__":
    main()
