// AnnealOptim: SGD, Adam, AdamW and RMSprop over AnnealTensor parameters, bit-exact with PyTorch.
