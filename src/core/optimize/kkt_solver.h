// The Newton system of the interior-point method, solved through the problem's structure.
//
// After the bound multipliers are eliminated, the system in the variables dz, the weight-row
// multipliers dpi_s (one per security with a weight row) and theta is
//
//   [ B0   -A_s'  -L' ] [dz   ]   [r_z]     B0 = D + blockdiag_i(lambda d_i e_i e_i'): one block
//   [ A_s   E_s    0  ] [dpi_s] = [r_s]     per security (its buy and lot variables), D diagonal
//   [ L     0      E  ] [theta]   [r_t]     A_s: the weight rows, e_i' on the block of security i
//
// L stacks the factor rows (the Woodbury part of Sigma: theta = -W dz, E = I) and the global
// rows (cash, tax budget, turnover, group definitions: E = 1/D_row for inequalities, 0 for
// equalities). Each block with its weight row is a bordered diagonal-plus-rank-one system,
// solved in O(lots) without ever multiplying by a row's 1/E (which grows without bound as the
// row becomes active, and would destroy the accuracy of the step). Every row of L acts on a
// segment (one account's part of a block) through three channel sums, so the capacitance
// C = L G L' + E (G the blocks' inverse) of size r = K + #rows costs O(#lots + n A r^2) to form.
// Within a block, G couples segments only through the rank-one term, which is what keeps a
// household's accounts as cheap as one account's. Internal to the solver.
#pragma once

#include <vector>

#include <Eigen/Cholesky>
#include <Eigen/Core>

#include "core/optimize/qp_model.h"

namespace arbor::optimize::internal {

class KktSolver {
 public:
  explicit KktSolver(const QpModel& model);

  // D = diagonal + proximal, from the first num_variables entries of `diagonal` (> 0).
  // weight_row_regularization: E_s per security (infinite where the security has no weight
  // row). row_regularization: E per global row.
  void Factor(const Eigen::VectorXd& diagonal, double proximal,
              const Eigen::VectorXd& weight_row_regularization,
              const Eigen::VectorXd& row_regularization);

  struct Step {
    Eigen::VectorXd dz;
    Channels dz_channels;                // channel sums of dz, per segment
    Eigen::VectorXd weight_multipliers;  // per security (0 where no weight row)
    Eigen::VectorXd row_multipliers;     // per global row
  };
  // A vector read in place, e.g. the head of a longer one.
  using ConstRef = Eigen::Ref<const Eigen::VectorXd>;
  // Solves for right-hand sides r_z (the first num_variables entries are read), r_s (per
  // security) and r_rows (the global rows; the factor rows' right-hand side is zero) into
  // `step`, whose buffers are reused. `refine` adds iterative refinement, worth its cost only
  // near the optimum where the system is badly conditioned.
  void Solve(ConstRef r_z, const Eigen::VectorXd& r_s, const Eigen::VectorXd& r_rows, bool refine,
             Step& step) const;

 private:
  // Per segment s of block i, the 3x3 matrix M_ss = E_s' G_i E_s over the channels (net,
  // traded, tax). Two segments a != b of one block couple through -alpha shrink t_a t_b' only,
  // t_s = E_s' D^-1 e = (total, sign, -tax sum) of the segment.
  struct BlockSums {
    double net_net, net_traded, net_tax, traded_traded, traded_tax, tax_tax;
  };

  // Per block, the sums of D^-1 r weighted by e, 1 and g: the only pass over the variables
  // that a block solve needs, shared by both block solves of SolveOnce.
  Channels WeightedSums(ConstRef r) const;
  // Solves the blocks with their weight rows, [B0 -A_s'; A_s E_s] [dz; dpi_s] = [r + C' c; r_s],
  // where C' c expands channel coefficients c onto the block variables, in O(n) from the
  // weighted sums of r: the channel sums of dz, the weight-row multipliers and, per security,
  // the multiple of D^-1 e that ExpandBlocks adds.
  void SolveBlocks(const Channels& r_sums, const Channels* coefficients, const Eigen::VectorXd& r_s,
                   Channels& dz_channels, Eigen::VectorXd& weight_multipliers, Eigen::VectorXd& along) const;
  // dz itself: D^-1 (r + C' c + along e) on the blocks, D^-1 (r + extra) on the extra variables.
  void ExpandBlocks(ConstRef r, const Channels& coefficients, const Eigen::VectorXd& along,
                    const Eigen::VectorXd& extra_rhs, Eigen::VectorXd& dz) const;
  // The residuals of the whole system at a step, for iterative refinement.
  void Residuals(const Step& step, const Eigen::VectorXd& theta, ConstRef r_z,
                 const Eigen::VectorXd& r_s, const Eigen::VectorXd& r_t, Eigen::VectorXd& e_z,
                 Eigen::VectorXd& e_s, Eigen::VectorXd& e_t) const;
  // L v (factor rows first, then the global rows) from v's channel sums (extra variables read
  // from v), and L' theta as channel coefficients plus the extra variables' entries (added to
  // extra_out, indexed from the first extra variable).
  void ApplyL(const Channels& channels, const Eigen::VectorXd& v, Eigen::VectorXd& out) const;
  Channels LTransposed(const Eigen::VectorXd& theta, Eigen::Ref<Eigen::VectorXd> extra_out) const;
  void SolveOnce(ConstRef r_z, const Eigen::VectorXd& r_s, const Eigen::VectorXd& r_t, Step& step,
                 Eigen::VectorXd& theta) const;

  const QpModel& model_;
  int factor_rows_ = 0;
  int global_rows_ = 0;
  Eigen::VectorXd diagonal_;          // D
  Eigen::VectorXd inverse_diagonal_;  // D^-1
  Eigen::VectorXd weight_row_regularization_;  // E_s
  Eigen::VectorXd block_shrink_;      // 1 / (1 + lambda d_i e' D^-1 e)
  Eigen::VectorXd block_border_;      // e' B0^-1 e + E_s, the pivot of the weight row
  Eigen::VectorXd block_net_net_;     // e' G_i e, with the weight row eliminated
  Eigen::VectorXd block_bordered_shrink_;  // 1 / (1 + alpha e' D^-1 e), alpha = lambda d + 1/E_s
  Eigen::VectorXd block_alpha_shrink_;  // alpha shrink of G_i = D^-1 - alpha shrink D^-1 e e' D^-1
  // Per segment sums of D^-1 over its variables: sum, sum e, sum g, sum g^2 (sum e g = -sum g,
  // since only sells carry a tax coefficient and e = -1 there).
  Eigen::VectorXd segment_sum_, segment_sum_sign_, segment_sum_tax_, segment_sum_tax_squares_;
  // The same split into the buy and the sells, and the D^-1-weighted spread of the sells' g.
  Eigen::VectorXd segment_buys_, segment_sells_, segment_tax_spread_;
  Eigen::VectorXd capacitance_diagonal_;  // E, factor rows included (ones)
  Eigen::MatrixXd capacitance_;
  Eigen::LDLT<Eigen::MatrixXd> capacitance_factor_;
  // Where each row's entries start in row_products_, and the same entries grouped by segment:
  // the rows-by-rows block of the capacitance only pairs rows that share a segment.
  std::vector<int> row_entry_start_;
  struct SegmentEntry {
    int segment, row, product;  // product: index into row_products_
    const ChannelCoefficients* coefficients;
  };
  std::vector<int> segment_entry_start_;
  std::vector<SegmentEntry> segment_entries_;
  // Two rows (first <= second) that share an extra variable, with their coefficients' product.
  struct ExtraShare {
    int row_a, row_b, variable;
    double product;
  };
  std::vector<ExtraShare> extra_shares_;
  // Buffers of Factor(), reused by every iteration.
  std::vector<BlockSums> block_sums_;
  Eigen::VectorXd net_net_;
  struct RowProduct {
    double net, traded, tax;
    double projection;  // t_s . a_s, the entry's part of e' D^-1 a over its block
  };
  std::vector<RowProduct> row_products_;  // M_ss a_s per entry of each global row
  Eigen::MatrixXd scaled_factor_;  // X sqrt(M_net,net), K' x n
};

}  // namespace arbor::optimize::internal
