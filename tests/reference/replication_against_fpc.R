# Checks typfrage's prediction strength against R's fpc::prediction.strength on the same survey
# file: the rows that typfrage clusters (the eleven goal priorities, listwise deletion of rows with
# a missing goal, no scaling), as a reviewer would take them:
#
#   fpc::prediction.strength(x, Gmin = 2, Gmax = 8, M = M, clustermethod = kmeansCBI, runs = 10,
#                          algorithm = "Lloyd", iter.max = 300)
#
# Lloyd's algorithm, as typfrage's k-means (R's default Hartigan-Wong finds other local optima on a
# half: with 10 starts its prediction strength is up to 0.03 higher at k >= 6 on the shipped data;
# with 50 starts both agree). Both draw their own random half-splits, so the numbers agree only within their sampling spread:
# for every k the two means must lie within 3 standard errors of their difference
# (sqrt(sd_ours^2 / M_ours + sd_fpc^2 / M_fpc), at least 0.01), and the rule "largest k with
# prediction strength above 0.8" must pick the same k. Run by
# tests/reference/check_replication_against_fpc.sh; by hand:
#
#   typfrage replicate SURVEY --splits M --n-init 10 --out R
#   Rscript tests/reference/replication_against_fpc.R SURVEY R/validation.csv M_OURS M_FPC
#
# R 4.2 with fpc from Debian 12 (apt-get install r-cran-fpc). Exits 1 on a difference.
args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 4) stop("usage: replication_against_fpc.R SURVEY VALIDATION_CSV M_OURS M_FPC")
suppressPackageStartupMessages(library(fpc))
goals <- c("ziel_effizienz", "ziel_buergernaehe", "ziel_leistungsangebot", "ziel_attraktivitaet",
           "ziel_daseinsvorsorge", "ziel_gemeinschaft", "ziel_rechtliche_vorgaben",
           "ziel_foerdermittel", "ziel_it_sicherheit", "ziel_zufriedenheit", "ziel_offenheit")
survey <- read.csv(args[1], comment.char = "#", colClasses = "character", check.names = FALSE)
keep <- apply(survey[, goals], 1, function(r) all(r != "" & r != "-9"))
x <- as.matrix(sapply(goals, function(g) as.numeric(survey[keep, g])))
m_ours <- as.integer(args[3])
m_fpc <- as.integer(args[4])
set.seed(2020)
ps <- prediction.strength(x, Gmin = 2, Gmax = 8, M = m_fpc, clustermethod = kmeansCBI, runs = 10,
                          algorithm = "Lloyd", iter.max = 300)
ours <- read.csv(args[2])
fpc_mean <- sapply(ours$k, function(k) mean(ps$predcorr[[k]]))
fpc_sd <- sapply(ours$k, function(k) sd(ps$predcorr[[k]]))
se <- pmax(sqrt(ours$prediction_strength_sd^2 / m_ours + fpc_sd^2 / m_fpc), 0.01 / 3)
z <- (ours$prediction_strength - fpc_mean) / se
cat(sprintf("%d rows, typfrage %d splits, fpc %d splits\n", nrow(x), m_ours, m_fpc))
cat(sprintf("k = %d: typfrage %.3f (sd %.3f), fpc %.3f (sd %.3f), difference %.1f standard errors\n",
            ours$k, ours$prediction_strength, ours$prediction_strength_sd, fpc_mean, fpc_sd, z),
    sep = "")
ours_k <- max(c(1, ours$k[ours$prediction_strength > 0.8]))
cat(sprintf("largest k with prediction strength above 0.8: typfrage %d, fpc %d\n", ours_k, ps$optimalk))
fail <- FALSE
if (any(abs(z) > 3)) {
  cat("DIFFERENT: prediction strength beyond 3 standard errors at k =", ours$k[abs(z) > 3], "\n")
  fail <- TRUE
}
if (ours_k != ps$optimalk) {
  cat("DIFFERENT: the rule picks k =", ours_k, "in typfrage and", ps$optimalk, "in fpc\n")
  fail <- TRUE
}
if (fail) quit(status = 1)
cat("prediction strength agrees with fpc within its sampling spread, and the rule picks the same k\n")
