# Seed-by-seed comparison of Statix's NUTS with Stan's from the CSV files of
#   nuts_benchmark --threads 1 --csv runs.csv --chains-csv chains.csv ...
# Per model: medians of divergences, gradients and leapfrog steps per minimum
# bulk ESS, with the two-sided Wilcoxon rank-sum test (R's wilcox.test; the
# normal approximation with continuity correction where there are ties), and
# per chain the adapted step size, the acceptance after warm-up and the
# adapted inverse metric of the funnel's scale (log tau, log sigma_b).
#
#   Rscript benchmarks/nuts/compare_seeds.R runs.csv chains.csv

args <- commandArgs(trailingOnly = TRUE)
runs <- read.csv(args[1], stringsAsFactors = FALSE)
chains <- if (length(args) > 1) read.csv(args[2], stringsAsFactors = FALSE) else NULL

runs$gradients_per_ess <- runs$gradients / runs$min_ess
runs$leapfrog_per_ess <- runs$leapfrog_steps / runs$min_ess
is_stan <- function(s) grepl("^stan", s)

test_row <- function(name, a, b) {
  w <- suppressWarnings(wilcox.test(a, b, exact = NULL, correct = TRUE))
  cat(sprintf("| %s | %.4g | %.4g | %.3g | %.2f |\n", name, median(a), median(b),
              w$statistic, w$p.value))
}

for (m in unique(runs$model)) {
  r <- runs[runs$model == m, ]
  sx <- r[!is_stan(r$sampler), ]
  st <- r[is_stan(r$sampler), ]
  seeds <- intersect(sx$seed, st$seed)
  sx <- sx[match(seeds, sx$seed), ]
  st <- st[match(seeds, st$seed), ]
  cat(sprintf("\n%s, %d seeds (%d-%d)\n\n", m, length(seeds), min(seeds), max(seeds)))
  cat("| per run | Statix median | Stan median | W | p (Wilcoxon rank-sum) |\n")
  cat("|---|---:|---:|---:|---:|\n")
  test_row("divergences after warm-up", sx$divergent, st$divergent)
  test_row("gradients / min ESS", sx$gradients_per_ess, st$gradients_per_ess)
  test_row("leapfrog steps / min ESS", sx$leapfrog_per_ess, st$leapfrog_per_ess)
  test_row("min bulk ESS", sx$min_ess, st$min_ess)
  test_row("median bulk ESS", sx$median_ess, st$median_ess)
  test_row("gradients", sx$gradients, st$gradients)
  test_row("mean accept_stat", sx$accept_stat, st$accept_stat)
  fisher_line <- function(what, a, b, n) {
    f <- fisher.test(matrix(c(a, n - a, b, n - b), 2))
    cat(sprintf("%s: Statix %d, Stan %d of %d (Fisher's exact test p = %.2f)\n", what, a, b, n,
                f$p.value))
  }
  cat("\n")
  fisher_line("runs with more than 50 divergences", sum(sx$divergent > 50),
              sum(st$divergent > 50), length(seeds))
  fisher_line("runs with no divergence", sum(sx$divergent == 0), sum(st$divergent == 0),
              length(seeds))

  if (!is.null(chains)) {
    ch <- chains[chains$model == m & chains$seed %in% seeds, ]
    a <- ch[!is_stan(ch$sampler), ]
    b <- ch[is_stan(ch$sampler), ]
    scale_column <- if (grepl("radon", m)) "inv_metric_4" else "inv_metric_2"
    cat(sprintf("\nper chain (%d Statix, %d Stan)\n\n", nrow(a), nrow(b)))
    cat("| per chain | Statix median | Stan median | W | p (Wilcoxon rank-sum) |\n")
    cat("|---|---:|---:|---:|---:|\n")
    test_row("adapted step size", a$step_size, b$step_size)
    test_row("accept_stat after warm-up", a$accept_stat, b$accept_stat)
    test_row("divergences", a$divergent, b$divergent)
    test_row(sprintf("inverse metric of the scale (%s)", scale_column), a[[scale_column]],
             b[[scale_column]])
    test_row("inverse metric, geometric mean", a$inv_metric_geometric_mean,
             b$inv_metric_geometric_mean)
    cat("\n")
    fisher_line("chains with accept_stat < 0.7", sum(a$accept_stat < 0.7),
                sum(b$accept_stat < 0.7), nrow(a))
    fisher_line("chains with accept_stat < 0.75", sum(a$accept_stat < 0.75),
                sum(b$accept_stat < 0.75), nrow(a))
  }
}
