/** The name an erased account shows everywhere; nobody can choose it (app/features/profiles/names.ts). */
export const ERASED_NAME = "Former member";
