import NextAuth from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import { z } from 'zod';
import { getDb } from '@/db/client';
import { findAccountByEmail } from '@/db/queries/accounts';
import { authConfig } from './auth-config';
import { hashPassword, verifyPassword } from './passwords';

const credentialsSchema = z.object({
  email: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(1024),
});

// A hash to check against when the email is unknown, so a wrong email costs the same time
// as a wrong password and response times do not reveal which accounts exist.
let decoyHash: Promise<string> | undefined;

/** The dashboard's sign-in: email and password against the accounts table. */
export const { handlers, auth, signIn, signOut } = NextAuth({
  ...authConfig,
  providers: [
    Credentials({
      credentials: { email: { type: 'email' }, password: { type: 'password' } },
      async authorize(raw) {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) return null;
        const account = await findAccountByEmail(getDb(), parsed.data.email);
        if (!account) {
          decoyHash ??= hashPassword('not-a-real-password');
          await verifyPassword(parsed.data.password, await decoyHash);
          return null;
        }
        if (!(await verifyPassword(parsed.data.password, account.passwordHash))) return null;
        return { id: account.id, email: account.email };
      },
    }),
  ],
});
