// AnnealPlot: learning-rate and momentum curves as SVG and terminal plots.
