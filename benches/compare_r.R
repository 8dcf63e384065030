# Times typfrage's Ward clustering and Gaussian mixtures against R in one run:
#   - Ward on 10,000 rows x 11 five-point ratings (drawn with a fixed seed): hclust(dist(x),
#     "ward.D2") in R (dist included: typfrage computes its distances too), typfrage's `ward`;
#   - the mixtures for k = 2..8 and the models EII VII EEI VVI EEE VVV on the 388 x 11 goal matrix
#     (tests/reference/goals.csv): Mclust(x, G = 2:8, modelNames = ...) in R, typfrage's
#     `fit_mixtures` (Ward start + 4 k-means starts per k, the default).
# Each is timed best of REPEATS inside its process; reading the data is not timed. Both sides
# report a check value (the last merge height; the largest BIC).
#
#   cargo build --release --example compare_r
#   Rscript benches/compare_r.R [REPEATS]
#
# Needs R with mclust (Debian: apt-get install r-base-core r-cran-mclust).
suppressMessages(library(mclust))
args <- commandArgs(trailingOnly = TRUE)
repeats <- if (length(args) >= 1) as.integer(args[1]) else 3L
rust <- "target/release/examples/compare_r"
if (!file.exists(rust)) stop("build it first: cargo build --release --example compare_r")

best_of <- function(f) {
  times <- numeric(repeats)
  for (r in seq_len(repeats)) {
    t <- system.time(value <- f())[["elapsed"]]
    times[r] <- t
  }
  list(time = min(times), value = value)
}
run_rust <- function(what, file) {
  out <- system2(rust, c(what, file, repeats), stdout = TRUE)
  v <- as.numeric(strsplit(out, " ")[[1]])
  list(time = v[1], value = v[2])
}

set.seed(2020)
big <- matrix(sample(1:5, 10000 * 11, replace = TRUE), ncol = 11)
big_file <- tempfile(fileext = ".csv")
write.csv(big, big_file, row.names = FALSE)
goals_file <- "tests/reference/goals.csv"
goals <- as.matrix(read.csv(goals_file)[, -1])
models <- c("EII", "VII", "EEI", "VVI", "EEE", "VVV")

rows <- list(
  list("Ward ward.D2, 10,000 x 11",
       best_of(function() { hc <- hclust(dist(big), "ward.D2"); max(hc$height) }),
       run_rust("ward", big_file)),
  list("mixtures k = 2..8, 6 models, 388 x 11",
       best_of(function() { m <- Mclust(goals, G = 2:8, modelNames = models, verbose = FALSE); m$bic }),
       run_rust("mixtures", goals_file))
)
cat(sprintf("R %s, mclust %s; best of %d\n", getRversion(), packageVersion("mclust"), repeats))
cat(sprintf("%-40s %10s %10s %8s   %s\n", "work", "R", "typfrage", "ratio", "check (R / typfrage)"))
for (r in rows) {
  cat(sprintf("%-40s %9.3fs %9.3fs %7.1fx   %.6f / %.6f\n", r[[1]], r[[2]]$time, r[[3]]$time,
              r[[2]]$time / r[[3]]$time, r[[2]]$value, r[[3]]$value))
}
unlink(big_file)
