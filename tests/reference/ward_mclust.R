# Records the reference numbers that tests/it/methods.rs checks typfrage's Ward clustering and
# Gaussian mixtures against. Run from the repository root:
#
#   Rscript tests/reference/ward_mclust.R [data/survey.csv]
#
# R 4.2.2 and mclust 6.0.0 from Debian 12 (apt-get install r-base-core r-cran-mclust).
#
# 1. The goal matrix as typfrage clusters it ("Finding the types" in README.md): the eleven ziel_*
#    columns in the codebook's order, listwise deletion of rows with a missing goal (-9 or empty),
#    no scaling, rows in typfrage's canonical order (by their answers, then identifier, in byte
#    order). Written to tests/reference/goals.csv: the fixture the tests read, so they do not depend
#    on data/survey.csv (which may be re-generated).
# 2. hclust(dist(x), "ward.D2") on that matrix: every merge with its height, in merge order
#    (tests/reference/ward_merges.csv; R's merge matrix: negative = observation, positive = an
#    earlier merge), and the Ward partition cut at k = 4 (tests/reference/ward_k4.csv). The same
#    on the rows in the order of the survey file, as `typfrage hierarchy` takes them
#    (tests/reference/ward_merges_file_order.csv: the tree a reviewer gets from R on the file).
# 3. mclust's BIC for k = 2..8 and the models EII, VII, EEI, VVI, EEE, VVV (Mclust's defaults:
#    initialisation by model-based hierarchical clustering), with the log-likelihood, the number of
#    free parameters and the ICL of each fitted model (tests/reference/mclust_bic.csv; NA = mclust
#    could not estimate the model).
suppressMessages(library(mclust))
args <- commandArgs(trailingOnly = TRUE)
input <- if (length(args) >= 1) args[1] else "data/survey.csv"
out <- "tests/reference"

# the clustering variables in the order of data/codebook.toml (typfrage's column order)
goals <- c("ziel_effizienz", "ziel_buergernaehe", "ziel_leistungsangebot", "ziel_attraktivitaet",
           "ziel_daseinsvorsorge", "ziel_gemeinschaft", "ziel_rechtliche_vorgaben",
           "ziel_foerdermittel", "ziel_it_sicherheit", "ziel_zufriedenheit", "ziel_offenheit")
survey <- read.csv(input, comment.char = "#", colClasses = "character", check.names = FALSE)
m <- survey[, c("id", goals)]
keep <- apply(m[, goals], 1, function(r) all(r != "" & r != "-9"))
m <- m[keep, ]
for (g in goals) m[[g]] <- as.numeric(m[[g]])
x_file <- as.matrix(m[, goals])
hc_file <- hclust(dist(x_file), method = "ward.D2")
write.csv(data.frame(step = seq_along(hc_file$height), a = hc_file$merge[, 1], b = hc_file$merge[, 2],
                     height = sprintf("%.17g", hc_file$height)),
          file.path(out, "ward_merges_file_order.csv"), row.names = FALSE, quote = FALSE)
ord <- do.call(order, c(unname(as.list(m[, goals])), list(m$id), list(method = "radix")))
m <- m[ord, ]
rownames(m) <- NULL
write.csv(m, file.path(out, "goals.csv"), row.names = FALSE, quote = FALSE)
x <- as.matrix(m[, goals])
cat(sprintf("%s: %d rows clustered of %d\n", input, nrow(x), nrow(survey)))

hc <- hclust(dist(x), method = "ward.D2")
merges <- data.frame(step = seq_along(hc$height), a = hc$merge[, 1], b = hc$merge[, 2],
                     height = sprintf("%.17g", hc$height))
write.csv(merges, file.path(out, "ward_merges.csv"), row.names = FALSE, quote = FALSE)
write.csv(data.frame(id = m$id, cluster = cutree(hc, k = 4)), file.path(out, "ward_k4.csv"),
          row.names = FALSE, quote = FALSE)

models <- c("EII", "VII", "EEI", "VVI", "EEE", "VVV")
rows <- list()
for (k in 2:8) for (model in models) {
  fit <- Mclust(x, G = k, modelNames = model, verbose = FALSE)
  if (is.null(fit)) {
    rows[[length(rows) + 1]] <- data.frame(k = k, model = model, loglik = NA, df = NA, bic = NA,
                                           icl = NA, min_share = NA)
  } else {
    rows[[length(rows) + 1]] <- data.frame(k = k, model = model,
      loglik = sprintf("%.10g", fit$loglik), df = fit$df, bic = sprintf("%.10g", fit$bic),
      icl = sprintf("%.10g", icl(fit)), min_share = sprintf("%.6f", min(fit$parameters$pro)))
  }
}
bic <- do.call(rbind, rows)
write.csv(bic, file.path(out, "mclust_bic.csv"), row.names = FALSE, quote = FALSE, na = "NA")
print(bic)
