// A small firm catalogue, as the files a user would import, for the model store and CLI tests:
// securities with GICS sub-industries, a 5-name direct index (SP500), a balanced template whose
// v2 shifts equities 60/40 -> 70/30, and two screens.
#pragma once

namespace arbor::testing_util {

inline constexpr char kModelSecurities[] =
    "symbol,name,type,sector,industry_group,industry,sub_industry,asset_class,fractional,"
    "wash_sale_group\n"
    "AAA,Alpha Corp,stock,Information Technology,,,Application Software,,true,\n"
    "BBB,Beta Bank,stock,Financials,,,Diversified Banks,,true,\n"
    "CCC,Gamma Pharma,stock,Health Care,,,Pharmaceuticals,,true,\n"
    "MO,Altria,stock,Consumer Staples,,,Tobacco,,true,\n"
    "XOM,Exxon Mobil,stock,Energy,,,Integrated Oil & Gas,,true,\n"
    "IVV,iShares Core S&P 500,etf,,,,,,true,SP500\n"
    "EFA,iShares MSCI EAFE,etf,,,,,,true,\n"
    "VNQ,Vanguard Real Estate,etf,,,,,,true,\n"
    "AGG,iShares Core US Aggregate Bond,etf,,,,,,true,\n";

inline constexpr char kSp500Csv[] =
    "symbol,weight,effective_date\n"
    "AAA,0.40,2024-01-02\n"
    "BBB,0.30,2024-01-02\n"
    "CCC,0.15,2024-01-02\n"
    "MO,0.10,2024-01-02\n"
    "XOM,0.05,2024-01-02\n";

// Equity 0.6 (US Large Cap 0.7, Intl Developed 0.2, Real Estate 0.1), Fixed Income 0.4.
inline constexpr char kBalancedV1[] = R"json({"templates": [
  {"name": "Balanced", "version": 1, "effective": "2024-01-02", "description": "60/40",
   "classes": [
    {"name": "Equity", "weight": 0.6},
    {"name": "US Large Cap", "parent": "Equity", "weight": 0.7, "min_weight": 0.30,
     "max_weight": 0.55, "removable": false,
     "products": [{"id": "IVV", "kind": "etf", "reference": "IVV"},
                  {"id": "SP500-DI", "kind": "direct_index", "reference": "SP500"}],
     "default_product": "IVV"},
    {"name": "Intl Developed", "parent": "Equity", "weight": 0.2, "max_weight": 0.25,
     "products": [{"id": "EFA", "kind": "etf", "reference": "EFA"}]},
    {"name": "Real Estate", "parent": "Equity", "weight": 0.1, "max_weight": 0.10,
     "products": [{"id": "VNQ", "kind": "etf", "reference": "VNQ"}]},
    {"name": "Fixed Income", "weight": 0.4},
    {"name": "Core Bonds", "parent": "Fixed Income", "weight": 1, "min_weight": 0.20,
     "max_weight": 0.60, "products": [{"id": "AGG", "kind": "etf", "reference": "AGG"}]}
  ]}
]})json";

// The IPC's tactical shift: equities 70/30 from 2024-07-01, the rest as v1.
inline constexpr char kBalancedV2[] = R"json({"templates": [
  {"name": "Balanced", "version": 2, "effective": "2024-07-01", "description": "70/30",
   "classes": [
    {"name": "Equity", "weight": 0.7},
    {"name": "US Large Cap", "parent": "Equity", "weight": 0.7, "min_weight": 0.30,
     "max_weight": 0.55, "removable": false,
     "products": [{"id": "IVV", "kind": "etf", "reference": "IVV"},
                  {"id": "SP500-DI", "kind": "direct_index", "reference": "SP500"}],
     "default_product": "IVV"},
    {"name": "Intl Developed", "parent": "Equity", "weight": 0.2, "max_weight": 0.25,
     "products": [{"id": "EFA", "kind": "etf", "reference": "EFA"}]},
    {"name": "Real Estate", "parent": "Equity", "weight": 0.1, "max_weight": 0.10,
     "products": [{"id": "VNQ", "kind": "etf", "reference": "VNQ"}]},
    {"name": "Fixed Income", "weight": 0.3},
    {"name": "Core Bonds", "parent": "Fixed Income", "weight": 1, "min_weight": 0.20,
     "max_weight": 0.60, "products": [{"id": "AGG", "kind": "etf", "reference": "AGG"}]}
  ]}
]})json";

// tobacco by sub-industry; faith = tobacco + XOM by name.
inline constexpr char kScreensJson[] = R"json({"screens": [
  {"name": "faith", "description": "faith-based", "includes": ["tobacco"], "symbols": ["XOM"]},
  {"name": "tobacco", "sub_industries": ["Tobacco"]}
]})json";

}  // namespace arbor::testing_util
