# Checks typfrage's Ward clustering against R's own hclust on the same survey file: the rows that
# typfrage clusters (the eleven goal priorities, listwise deletion of rows with a missing goal, no
# scaling), in the order of the file, as a reviewer would take them:
#
#   hc <- hclust(dist(x), method = "ward.D2")
#
# Every merge of `typfrage hierarchy`'s merges.csv must be R's merge (the same two groups in R's
# notation) at R's height (to 1e-9 relative), partition.csv's Ward groups R's cutree(hc, k) with
# its numbering, and (if given) the group sizes of `typfrage cluster --start ward`'s ward-start.csv
# those of cutree too. Run by tests/reference/check_ward_against_r.sh; by hand:
#
#   typfrage hierarchy SURVEY --out H
#   typfrage cluster SURVEY --start ward --out C
#   Rscript tests/reference/ward_against_r.R SURVEY H [C/ward-start.csv]
#
# R 4.2.2 from Debian 12 (apt-get install r-base-core). Exits 1 on the first difference.
args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 2) stop("usage: ward_against_r.R SURVEY HIERARCHY_DIR [WARD_START_CSV]")
goals <- c("ziel_effizienz", "ziel_buergernaehe", "ziel_leistungsangebot", "ziel_attraktivitaet",
           "ziel_daseinsvorsorge", "ziel_gemeinschaft", "ziel_rechtliche_vorgaben",
           "ziel_foerdermittel", "ziel_it_sicherheit", "ziel_zufriedenheit", "ziel_offenheit")
survey <- read.csv(args[1], comment.char = "#", colClasses = "character", check.names = FALSE)
keep <- apply(survey[, goals], 1, function(r) all(r != "" & r != "-9"))
m <- survey[keep, c("id", goals)]
x <- as.matrix(sapply(goals, function(g) as.numeric(m[[g]])))
hc <- hclust(dist(x), method = "ward.D2")

fail <- function(...) {
  cat("DIFFERENT:", ..., "\n")
  quit(status = 1)
}
ours <- read.csv(file.path(args[2], "merges.csv"))
if (nrow(ours) != nrow(hc$merge)) fail("merges.csv has", nrow(ours), "merges, R", nrow(hc$merge))
same_pair <- ours$a == hc$merge[, 1] & ours$b == hc$merge[, 2]
if (!all(same_pair)) {
  s <- which(!same_pair)[1]
  fail("merge", s, ": typfrage", ours$a[s], ours$b[s], ", R", hc$merge[s, 1], hc$merge[s, 2])
}
scale <- pmax(abs(hc$height), 1e-300)
off <- abs(ours$height - hc$height) / scale
off[hc$height == 0] <- abs(ours$height[hc$height == 0])
if (any(off > 1e-9)) {
  s <- which(off > 1e-9)[1]
  fail("merge", s, ": height", format(ours$height[s], digits = 17), ", R",
       format(hc$height[s], digits = 17))
}
partition <- read.csv(file.path(args[2], "partition.csv"), colClasses = c(id = "character"))
k <- max(partition$ward_group)
if (!identical(partition$id, m$id)) fail("partition.csv does not list the clustered rows in file order")
if (!all(partition$ward_group == cutree(hc, k))) fail("partition.csv's Ward groups are not cutree(hc,", k, ")")
cat(sprintf("%s: %d rows; all %d merges and heights are R's (top height %.6f); the cut into %d groups is R's cutree\n",
            args[1], nrow(x), nrow(hc$merge), max(hc$height), k))
if (length(args) >= 3) {
  start <- read.csv(args[3])
  sizes <- as.vector(table(factor(cutree(hc, nrow(start)), levels = seq_len(nrow(start)))))
  if (!all(start$n == sizes)) fail("ward-start.csv's group sizes", start$n, ", R's cutree", sizes)
  cat(sprintf("%s: Ward's %d groups have R's cutree sizes (%s)\n", args[3], nrow(start),
              paste(sizes, collapse = ", ")))
}
