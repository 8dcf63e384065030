# Writes tests/fixtures/bfi/bfi-300.sav (and the same rows as bfi-300.csv): 300 respondents of R's psych::bfi (25 Big Five items of the
# International Personality Item Pool, answered on a six-point scale in the SAPA project; gender,
# education, age), written by haven::write_sav with variable and value labels. A survey no one on
# this project wrote, made by an independent tool, for the walk "your own survey" (issue 26):
# codebook -> validate -> cluster -> types -> cluster --types -> position, selfcheck.
#
#   Rscript tests/reference/make_bfi_sav.R [OUT.sav]
#
# The rows: those whose 25 items are all answered, 300 of them drawn with set.seed(26), in the
# order drawn; the identifier is bfi's row name (the SAPA case number). Gender and education keep
# their missing values (system missing in the file).
suppressPackageStartupMessages({
    library(psych)
    library(haven)
})
args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args) >= 1) args[1] else "tests/fixtures/bfi/bfi-300.sav"

items <- c(paste0("A", 1:5), paste0("C", 1:5), paste0("E", 1:5), paste0("N", 1:5), paste0("O", 1:5))
text <- c(
    "Am indifferent to the feelings of others", "Inquire about others' well-being",
    "Know how to comfort others", "Love children", "Make people feel at ease",
    "Am exacting in my work", "Continue until everything is perfect",
    "Do things according to a plan", "Do things in a half-way manner", "Waste my time",
    "Don't talk a lot", "Find it difficult to approach others", "Know how to captivate people",
    "Make friends easily", "Take charge",
    "Get angry easily", "Get irritated easily", "Have frequent mood swings", "Often feel blue",
    "Panic easily",
    "Am full of ideas", "Avoid difficult reading material",
    "Carry the conversation to a higher level", "Spend time reflecting on things",
    "Will not probe deeply into a subject"
)
scale <- c(
    "Very Inaccurate" = 1, "Moderately Inaccurate" = 2, "Slightly Inaccurate" = 3,
    "Slightly Accurate" = 4, "Moderately Accurate" = 5, "Very Accurate" = 6
)

bfi <- psych::bfi
complete <- bfi[stats::complete.cases(bfi[, items]), ]
set.seed(26)
rows <- sample(nrow(complete), 300)
d <- complete[rows, ]

out_df <- data.frame(id = as.integer(rownames(d)))
attr(out_df$id, "label") <- "SAPA case number"
for (i in seq_along(items)) {
    out_df[[items[i]]] <- labelled(as.numeric(d[[items[i]]]), scale, label = text[i])
}
out_df$gender <- labelled(as.numeric(d$gender), c("Male" = 1, "Female" = 2), label = "Gender")
out_df$education <- labelled(
    as.numeric(d$education),
    c("Some high school" = 1, "Finished high school" = 2, "Some college" = 3,
      "College graduate" = 4, "Graduate degree" = 5),
    label = "Education"
)
out_df$age <- as.numeric(d$age)
attr(out_df$age, "label") <- "Age in years"

dir.create(dirname(out), showWarnings = FALSE, recursive = TRUE)
write_sav(out_df, out)
# the same rows as a comma-separated file (codes, empty cells for missing values), for the tests
# that reorder rows
utils::write.csv(zap_labels(out_df), sub("\\.sav$", ".csv", out), row.names = FALSE, na = "")
cat(sprintf("%s: %d rows, %d columns (psych %s, haven %s)\n", out, nrow(out_df), ncol(out_df),
    packageVersion("psych"), packageVersion("haven")))
