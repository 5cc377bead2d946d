// Anneal: PyTorch 2.13's learning-rate schedulers, with PyTorch's exact
// semantics, for Swift training code.
//
// The Python number semantics (errors, float arithmetic, expressions) live in
// AnnealPython; re-export it so `import Anneal` is enough to catch a
// `PythonError` or build an `Expression`.
@_exported import AnnealPython
@_exported import AnnealJSON
