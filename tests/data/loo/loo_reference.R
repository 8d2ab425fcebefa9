# R's loo (Debian r-cran-loo 2.5.1) on the stored log-likelihood matrices:
# writes loo_reference.csv (one row per matrix and observation: the totals,
# then each observation's elpd_loo, p_loo and Pareto k). r_eff = 1, loo's
# default for a matrix without chain ids. Run from the repository root:
#   Rscript tests/data/loo/loo_reference.R
suppressPackageStartupMessages(library(loo))
rows <- list()
for (name in c("eight_schools", "kidiq", "outlier")) {
  ll <- as.matrix(read.csv(sprintf("tests/data/loo/%s_log_lik.csv", name), header = FALSE))
  fit <- suppressWarnings(loo(ll, r_eff = rep(1, ncol(ll))))
  est <- fit$estimates
  pw <- fit$pointwise
  rows[[name]] <- data.frame(
    model = name, observation = seq_len(ncol(ll)),
    elpd_loo_total = est["elpd_loo", "Estimate"], se_elpd_loo = est["elpd_loo", "SE"],
    p_loo_total = est["p_loo", "Estimate"], se_p_loo = est["p_loo", "SE"],
    looic = est["looic", "Estimate"],
    elpd_loo = pw[, "elpd_loo"], p_loo = pw[, "p_loo"], pareto_k = fit$diagnostics$pareto_k)
}
write.csv(do.call(rbind, rows), "tests/data/loo/loo_reference.csv", row.names = FALSE)
