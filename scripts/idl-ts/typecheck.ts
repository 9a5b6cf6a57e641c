// Compile-time check of idl/cross_margin.ts (run by scripts/check-idl-ts.sh with `tsc
// --noEmit`, never executed): the generated type must be accepted as an Anchor IDL by both
// TypeScript clients, and give integrators typed accounts, events and instruction builders
// under the camelCase names the clients use at run time.
import * as coral from "@coral-xyz/anchor";
import * as core from "@anchor-lang/core";
import type { CrossMargin } from "../../idl/cross_margin";
import idlJson from "../../idl/cross_margin.json";

type Bank = coral.IdlAccounts<CrossMargin>["bank"];
type MarginAccount = coral.IdlAccounts<CrossMargin>["marginAccount"];
type TokenDeposited = coral.IdlEvents<CrossMargin>["tokenDeposited"];

// Fields carry the types the IDL gives them: I80F48 as 16 raw bytes, u8 flags as numbers,
// 64-bit integers as BN, keys as PublicKey.
export const depositIndexBits = (bank: Bank): number[] => bank.depositIndex.bits;
export const oracleKind = (bank: Bank): number => bank.oracleKind;
export const firstSlot = (account: MarginAccount): number => account.tokenPositions[0].tokenIndex;
export const owner = (account: MarginAccount): coral.web3.PublicKey => account.owner;
export const repaid = (event: TokenDeposited): coral.BN => event.repaid;

// `new Program<CrossMargin>(idl, provider)` as an integrator writes it, with each client.
export function coralProgram(provider: coral.Provider): coral.Program<CrossMargin> {
  return new coral.Program<CrossMargin>(idlJson as CrossMargin, provider);
}
export function coreProgram(provider: core.Provider): core.Program<CrossMargin> {
  return new core.Program<CrossMargin>(idlJson as CrossMargin, provider);
}

// Typed builders: argument types come from the IDL.
export const withdraw = (program: coral.Program<CrossMargin>) =>
  program.methods.tokenWithdraw(new coral.BN(1), true);
export const deposit = (program: core.Program<CrossMargin>) =>
  program.methods.tokenDeposit(new core.BN(1));
export const fetchBank = (program: coral.Program<CrossMargin>, key: coral.web3.PublicKey) =>
  program.account.bank.fetch(key);
