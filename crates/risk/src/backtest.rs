//! Rolling VaR backtest (work in progress).
