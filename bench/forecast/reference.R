# Reference forecasts from R's forecast package (Hyndman et al.), for bench/forecast/run.js:
#
#   Rscript bench/forecast/reference.R <folder>
#
# <folder>/tasks.csv lists id,periods,horizon (periods separated by ';', e.g. 24;168); <folder>/<id>.txt
# holds the training values, one per line (NA for a gap). For every task and method it writes
# <folder>/<id>.<method>.csv with mean,lo80,hi80,lo95,hi95 per step, and <id>.<method>.ms with the
# fit + forecast time. A method that fails leaves no file.
suppressPackageStartupMessages(library(forecast))
args <- commandArgs(trailingOnly = TRUE)
folder <- args[1]
tasks <- read.csv(file.path(folder, "tasks.csv"), colClasses = c("character", "character", "integer"))

methods <- list(
  # ETS supports one season of at most 24 steps: the shortest period.
  ets = function(y, periods, h) forecast(ets(ts(y, frequency = min(periods[1], 24))), h = h, level = c(80, 95)),
  tbats = function(y, periods, h) forecast(tbats(msts(y, seasonal.periods = periods)), h = h, level = c(80, 95)),
  # auto.arima with the shortest period (a 168-step seasonal ARIMA is out of its reach).
  auto.arima = function(y, periods, h) forecast(auto.arima(ts(y, frequency = periods[1])), h = h, level = c(80, 95)),
  # STL for every period (mstl), then ETS on the seasonally adjusted series.
  stlf = function(y, periods, h) stlf(msts(y, seasonal.periods = periods), h = h, level = c(80, 95))
)

for (i in seq_len(nrow(tasks))) {
  id <- tasks$id[i]
  periods <- as.numeric(strsplit(tasks$periods[i], ";")[[1]])
  h <- tasks$horizon[i]
  y <- as.numeric(readLines(file.path(folder, paste0(id, ".txt"))))
  # The packages' models need a series without gaps: interpolate them (as forecast::na.interp does).
  y <- as.numeric(na.interp(msts(y, seasonal.periods = periods)))
  for (name in names(methods)) {
    started <- proc.time()[["elapsed"]]
    result <- tryCatch(methods[[name]](y, periods, h), error = function(e) NULL)
    elapsed <- (proc.time()[["elapsed"]] - started) * 1000
    if (is.null(result)) next
    out <- data.frame(
      mean = as.numeric(result$mean),
      lo80 = as.numeric(result$lower[, 1]), hi80 = as.numeric(result$upper[, 1]),
      lo95 = as.numeric(result$lower[, 2]), hi95 = as.numeric(result$upper[, 2])
    )
    write.csv(out, file.path(folder, paste0(id, ".", name, ".csv")), row.names = FALSE)
    writeLines(format(elapsed), file.path(folder, paste0(id, ".", name, ".ms")))
  }
  cat(id, "\n")
}
