# Compares typfrage's characteristics.csv and eta2.csv with FactoMineR's catdes(..., proba = 1)
# on the same partition: every variable on the clustered municipalities that answered it (codes
# -8, -9 and empty cells are missing), a coded variable as a factor (its rows have a category), a
# numeric one as numbers (its rows have none); an ordinal variable has both. Every number must
# agree to 1e-6 (relative above 1), every catdes row must be in the file and no other, and the
# file's order must be catdes' (per type: categories by v-test, largest first, then means).
#
# Usage: Rscript catdes_against_r.R SURVEY.csv RESULT_DIR
suppressPackageStartupMessages(library(FactoMineR))
args <- commandArgs(trailingOnly = TRUE)
survey_file <- args[1]
dir <- args[2]

lines <- readLines(survey_file, encoding = "UTF-8")
lines <- lines[!startsWith(lines, "#")]
survey <- read.csv(text = lines, colClasses = "character", check.names = FALSE)
assign <- read.csv(file.path(dir, "assignments.csv"), colClasses = "character")
ours <- read.csv(file.path(dir, "characteristics.csv"), colClasses = c(type = "character",
    variable = "character", category = "character"), na.strings = "")
eta <- read.csv(file.path(dir, "eta2.csv"), colClasses = c(variable = "character"))

type_of <- setNames(assign$type, assign$id)
cls <- type_of[survey$id]
clustered <- !is.na(cls) & cls != ""
value <- function(v) {
    x <- suppressWarnings(as.numeric(survey[[v]]))
    x[!is.na(x) & x %in% c(-8, -9)] <- NA
    x
}
close <- function(a, b) {
    if (!is.finite(b)) return(!is.finite(a) || abs(a) > 37)
    abs(a - b) <= 1e-6 * max(1, abs(b))
}
problems <- character(0)
checked <- 0L
expected <- list()
compare <- function(key, got, want) {
    for (name in names(want)) {
        if (!close(got[[name]], want[[name]])) {
            problems <<- c(problems, sprintf("%s %s: typfrage %.12g, catdes %.12g", key, name,
                got[[name]], want[[name]]))
        }
    }
    checked <<- checked + 1L
}
key_of <- function(type, variable, category) paste(type, variable, ifelse(is.na(category), "", category))
ours$key <- key_of(ours$type, ours$variable, ours$category)

for (v in unique(ours$variable)) {
    x <- value(v)
    keep <- clustered & !is.na(x)
    rows <- ours[ours$variable == v, ]
    if (any(!is.na(rows$category))) {
        d <- data.frame(type = factor(cls[keep]), x = factor(x[keep]))
        res <- catdes(d, 1, proba = 1)
        for (t in names(res$category)) {
            tab <- res$category[[t]]
            for (r in rownames(tab)) {
                key <- key_of(t, v, sub("^x=", "", r))
                expected[[key]] <- TRUE
                got <- ours[ours$key == key, ]
                if (nrow(got) != 1) { problems <- c(problems, paste(key, ": not in characteristics.csv")); next }
                compare(key, list(cla_mod = got$cla_mod, mod_cla = got$mod_cla, global = got$global,
                    p_value = got$p_value, v_test = got$v_test),
                    list(cla_mod = tab[r, "Cla/Mod"], mod_cla = tab[r, "Mod/Cla"],
                    global = tab[r, "Global"], p_value = tab[r, "p.value"], v_test = tab[r, "v.test"]))
            }
        }
    }
    if (any(is.na(rows$category))) {
        d <- data.frame(type = factor(cls[keep]), x = x[keep])
        res <- catdes(d, 1, proba = 1)
        for (t in names(res$quanti)) {
            tab <- res$quanti[[t]]
            if (is.null(tab)) next
            key <- key_of(t, v, NA)
            expected[[key]] <- TRUE
            got <- ours[ours$key == key, ]
            if (nrow(got) != 1) { problems <- c(problems, paste(key, ": not in characteristics.csv")); next }
            compare(key, list(v_test = got$v_test, mean_in_type = got$mean_in_type,
                mean_overall = got$mean_overall, sd_in_type = got$sd_in_type,
                sd_overall = got$sd_overall, p_value = got$p_value),
                list(v_test = tab[1, "v.test"], mean_in_type = tab[1, "Mean in category"],
                mean_overall = tab[1, "Overall mean"], sd_in_type = tab[1, "sd in category"],
                sd_overall = tab[1, "Overall sd"], p_value = tab[1, "p.value"]))
        }
        if (!is.null(res$quanti.var)) {
            got <- eta[eta$variable == v, ]
            if (nrow(got) != 1) { problems <- c(problems, paste(v, ": not in eta2.csv")); next }
            compare(paste("eta2", v), list(eta2 = got$eta2, p_value = got$p_value),
                list(eta2 = res$quanti.var[1, "Eta2"], p_value = res$quanti.var[1, "P-value"]))
        }
    }
}
extra <- setdiff(ours$key, names(expected))
if (length(extra) > 0) problems <- c(problems, paste(head(extra, 10), ": in characteristics.csv, not in catdes"))

# every coded or numeric column of the survey but the identifier and the weight is described
for (v in setdiff(names(survey), c("id", "gewicht"))) {
    if (any(!is.na(value(v)[clustered])) && !(v %in% ours$variable)) {
        problems <- c(problems, paste(v, ": answered, but not in characteristics.csv"))
    }
}

# the order: per type, categories by v-test (largest first), then means by v-test
block <- paste(ours$type, is.na(ours$category))
runs <- rle(block)$values
if (anyDuplicated(runs)) problems <- c(problems, "a type's rows are not together, categories before means")
for (b in unique(block)) {
    v <- ours$v_test[block == b]
    if (is.unsorted(rev(v))) problems <- c(problems, paste(b, ": v-tests not sorted largest first"))
}
if (is.unsorted(eta$p_value)) problems <- c(problems, "eta2.csv is not sorted by p-value")

if (length(problems) > 0) {
    cat(head(problems, 40), sep = "\n")
    stop(sprintf("%d differences from catdes in %s", length(problems), dir))
}
cat(sprintf("catdes: %d rows of %s (%d variables, %d eta2) agree with FactoMineR %s to 1e-6\n",
    checked, dir, length(unique(ours$variable)), nrow(eta), packageVersion("FactoMineR")))
