# Checks the posterior column of `typfrage cluster --mixture` against R's mclust on the same rows:
# the eleven goal priorities of the clustered municipalities (listwise, no scaling), the best of
# mclust's EII, VII, EEI, VVI, EEE, VVV with as many components as types (by BIC, mclust's own
# initialisation), its components paired with typfrage's types so that the most municipalities
# fall in a pair (every pairing tried), and each municipality's posterior of its type's component:
#
#   m <- Mclust(x, G = k, modelNames = c("EII", "VII", "EEI", "VVI", "EEE", "VVV"),
#               control = emControl(tol = c(1e-10, sqrt(.Machine$double.eps))))
#   m$z[i, component of type(i)]
#
# Must agree to TOLERANCE (default 1e-4); both run EM until the log-likelihood changes by a
# relative 1e-10 (typfrage's POSTERIOR_TOLERANCE; mclust's default 1e-5 would stop each where its
# own path happens to be, and a borderline municipality's posterior can differ by 0.07 then). Run by tests/reference/check_posterior_against_mclust.sh; by hand:
#
#   typfrage cluster SURVEY --mixture --out C
#   Rscript tests/reference/posterior_against_mclust.R SURVEY C/assignments.csv
#
# R 4.2.2 and mclust 6.0.0 from Debian 12 (apt-get install r-base-core r-cran-mclust).
suppressMessages(library(mclust))
args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 2) stop("usage: posterior_against_mclust.R SURVEY ASSIGNMENTS_CSV [TOLERANCE]")
tolerance <- if (length(args) >= 3) as.numeric(args[3]) else 1e-4
goals <- c("ziel_effizienz", "ziel_buergernaehe", "ziel_leistungsangebot", "ziel_attraktivitaet",
           "ziel_daseinsvorsorge", "ziel_gemeinschaft", "ziel_rechtliche_vorgaben",
           "ziel_foerdermittel", "ziel_it_sicherheit", "ziel_zufriedenheit", "ziel_offenheit")
survey <- read.csv(args[1], comment.char = "#", colClasses = "character", check.names = FALSE)
ours <- read.csv(args[2], colClasses = "character")
ours <- ours[ours$type != "", ]
rownames(survey) <- survey$id
x <- as.matrix(sapply(goals, function(g) as.numeric(survey[ours$id, g])))
types <- unique(ours$type)
k <- length(types)
m <- Mclust(x, G = k, modelNames = c("EII", "VII", "EEI", "VVI", "EEE", "VVV"), verbose = FALSE,
            control = emControl(tol = c(1e-10, sqrt(.Machine$double.eps))))
type_of <- match(ours$type, types)
counts <- table(factor(type_of, levels = 1:k), factor(m$classification, levels = 1:k))
perms <- function(v) if (length(v) <= 1) list(v) else
  do.call(c, lapply(seq_along(v), function(i) lapply(perms(v[-i]), function(p) c(v[i], p))))
best <- NULL; best_n <- -1
for (p in perms(1:k)) {
  n <- sum(counts[cbind(1:k, p)])
  if (n > best_n) { best <- p; best_n <- n }
}
theirs <- m$z[cbind(seq_len(nrow(x)), best[type_of])]
off <- max(abs(as.numeric(ours$posterior) - theirs))
cat(sprintf("mclust %s with %d components (BIC %.1f); %d municipalities; largest difference of the posterior %.2g\n",
            m$modelName, k, m$bic, nrow(x), off))
if (!(off <= tolerance)) {
  i <- which.max(abs(as.numeric(ours$posterior) - theirs))
  cat("DIFFERENT:", ours$id[i], "typfrage", ours$posterior[i], "mclust", theirs[i], "\n")
  quit(status = 1)
}
