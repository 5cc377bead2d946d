// AnnealPlot: learning-rate and momentum curves as SVG and terminal plots.
//
// The pipeline:
//
// 1. `PlotInputs` runs trace specs (or reads goldens) into `PlotRun`s: one
//    `PlotCurve` per spec and param group, holding the `lr` and `momentum`
//    of every trace record.
// 2. `Chart` gathers the runs, gives every curve a colour and dash slot
//    (`PlotStyle`), and `ChartAxes` finds the axes and their ticks
//    (`Axis`), linear or logarithmic.
// 3. `SVGChart` draws the chart as a self-contained, deterministic SVG,
//    simplifying every curve in screen space (`PolylineSimplifier`);
//    `TerminalChart` draws it with braille characters.
//
// Nothing here reads the clock or a random source: the same inputs give the
// same bytes.
