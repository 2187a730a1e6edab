import { createContext, useContext } from "react";

// The CSP nonce of this response, so inline scripts Remix renders can carry it. On the
// client it is empty: browsers hide nonce attributes from scripts anyway.
const NonceContext = createContext<string>("");

export const NonceProvider = NonceContext.Provider;

export function useNonce(): string {
  return useContext(NonceContext);
}
